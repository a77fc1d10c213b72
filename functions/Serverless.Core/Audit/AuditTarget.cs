namespace Serverless.Audit;

/// <summary>
/// What an administration act did to whom: the person, membership, role, agency and submission key it acted on.
/// Ids and role names only, never a name: each is stored only when it has the shape of its kind of id (a name typed
/// where an id belongs is dropped and its field named in <see cref="AuditEntryEntity.RejectedFields"/>).
/// </summary>
/// <param name="Role">A <see cref="Identity.CallerRole"/> by name (the role granted or ended).</param>
/// <param name="KeyId">A submission key's visible id (never the key).</param>
/// <param name="MeetingId">The council meeting an export of the ledger was taken for.</param>
/// <param name="CopyNumber">The numbered copy (写し番号) an export of the ledger is.</param>
/// <param name="MessageId">A transfer message (<c>tm-</c> and 32 hex digits) sent or received.</param>
/// <param name="FileHashes">The SHA-256 (lower-case hex) of each file a transfer package carried.</param>
public sealed record AuditTarget(string? PersonId = null, string? MembershipId = null, string? Role = null, string? AgencyId = null, string? KeyId = null, string? MeetingId = null, long? CopyNumber = null, string? MunicipalityCode = null, string? MessageId = null, IReadOnlyList<string>? FileHashes = null)
{
    internal bool IsEmpty => PersonId is null && MembershipId is null && Role is null && AgencyId is null && KeyId is null && MeetingId is null && CopyNumber is null && MunicipalityCode is null && MessageId is null && FileHashes is null;

    /// <summary>This target with what <paramref name="more"/> names added (its values win where both name one).</summary>
    public AuditTarget With(AuditTarget? more)
        => more is null ? this : new(
            more.PersonId ?? PersonId,
            more.MembershipId ?? MembershipId,
            more.Role ?? Role,
            more.AgencyId ?? AgencyId,
            more.KeyId ?? KeyId,
            more.MeetingId ?? MeetingId,
            more.CopyNumber ?? CopyNumber,
            more.MunicipalityCode ?? MunicipalityCode,
            more.MessageId ?? MessageId,
            more.FileHashes ?? FileHashes);
}

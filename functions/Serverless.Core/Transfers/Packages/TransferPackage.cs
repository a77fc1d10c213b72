using System.Text.Json;
using Serverless.Cases;

namespace Serverless.Transfers.Packages;

/// <summary>
/// The payload of a <c>package</c> message: the case as the receiving coordinators should see it. Ids of the sending
/// council's people and agencies do not travel (they mean nothing at the receiver); agencies travel by name. The
/// receiver must honour <see cref="LocationSecrecy"/> (所在秘匿) and <see cref="ReferrerSecrecy"/> (通告者の秘匿).
/// </summary>
/// <param name="SchemaVersion"><see cref="CurrentSchemaVersion"/>; a receiver refuses a version it does not know.</param>
/// <param name="SourceCaseId">The sender's case id, for the acknowledgement and the timeline's "from the sender" mark.</param>
/// <param name="Handover">The sending coordinator's reason, risk, summary and face-to-face hand-over (null in older test packages).</param>
public sealed record TransferPackage(
    int SchemaVersion,
    string SourceCaseId,
    TransferCaseRecord Case,
    IReadOnlyList<TransferTimelineEntry> Timeline,
    bool LocationSecrecy,
    bool ReferrerSecrecy,
    JsonElement? LatestAssessment = null,
    LastReview? LatestReview = null,
    TransferHandover? Handover = null)
{
    public const int CurrentSchemaVersion = 1;

    /// <summary>The entry ids it carries, for the audit on both sides.</summary>
    public IReadOnlyList<string> EntryIds() => [.. Timeline.Select(entry => entry.EntryId)];

    /// <summary>The SHA-256 of every file it carries, for the audit on both sides.</summary>
    public IReadOnlyList<string> FileHashes() => [.. Timeline.SelectMany(entry => entry.Files).Select(file => file.Sha256)];

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, CaseJson.Options);

    /// <summary>The package, or null when the bytes are not one of a version this app reads.</summary>
    public static TransferPackage? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var package = JsonSerializer.Deserialize<TransferPackage>(json, CaseJson.Options);
            return package is { SchemaVersion: CurrentSchemaVersion, SourceCaseId.Length: > 0, Case: not null, Timeline: not null } ? package : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The case record's fields that travel: what the case is about and who the child and household are.</summary>
public sealed record TransferCaseRecord(
    CaseCategory Category,
    CaseStatus Status,
    IReadOnlyList<AbuseType> AbuseTypes,
    IReadOnlyList<HouseholdMember> Household,
    AbuseType? PrimaryAbuseType = null,
    Relationship? MainAbuserRelationship = null,
    ReferralRoute? ReferralRoute = null,
    RiskLevel? RiskLevel = null,
    Urgency? Urgency = null,
    Person? Child = null,
    ExpectantMother? ExpectantMother = null,
    Location? Location = null,
    string? Notes = null);

/// <summary>One timeline entry as the receiving coordinators see it; its content is the entry's view as JSON.</summary>
/// <param name="AuthorAgencyName">The sending council's agency, by name.</param>
public sealed record TransferTimelineEntry(string EntryId, string Kind, DateTimeOffset At, JsonElement Content, IReadOnlyList<TransferFileReference> Files, string? AuthorAgencyName = null);

/// <summary>A file an entry carries: the receiver checks the bytes it gets against <see cref="Sha256"/> (lower-case hex).</summary>
public sealed record TransferFileReference(string FileId, string FileName, string ContentType, long Length, string Sha256);

namespace Serverless.Identity.SubmissionKeys;

/// <summary>A submission key as admins see it: everything but the secret and its hash.</summary>
public sealed record SubmissionKeyInfo(
    string KeyId,
    string AgencyId,
    string Label,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string? RevokedBy,
    IReadOnlyList<string> AllowedOrigins,
    IReadOnlyList<string> AllowedAddresses,
    string? ReplacedBy)
{
    /// <summary>True when the key would be accepted at <paramref name="now"/> (bindings aside).</summary>
    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);
}

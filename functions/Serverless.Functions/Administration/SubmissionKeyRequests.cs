namespace Serverless.Functions.Administration;

/// <summary>Body of <c>POST /api/admin/agencies/{agencyId}/submission-keys</c>.
/// Every field has a default, so a missing one reaches validation instead of failing as invalid JSON.</summary>
public sealed record IssueSubmissionKeyRequest(string? Label = null, DateTimeOffset? ExpiresAt = null, IReadOnlyList<string>? AllowedOrigins = null, IReadOnlyList<string>? AllowedAddresses = null);

/// <summary>Body of <c>POST .../submission-keys/{keyId}/rotate</c>: how long the old key keeps working (0 to 604800 seconds).
/// Required, never taken as 0 (which would cut the form off at once): a missing value is a validation error.</summary>
public sealed record RotateSubmissionKeyRequest(int? OverlapSeconds = null);

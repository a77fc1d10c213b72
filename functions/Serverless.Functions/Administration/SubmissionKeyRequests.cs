namespace Serverless.Functions.Administration;

/// <summary>Body of <c>POST /api/admin/agencies/{agencyId}/submission-keys</c>.</summary>
public sealed record IssueSubmissionKeyRequest(string? Label, DateTimeOffset? ExpiresAt, IReadOnlyList<string>? AllowedOrigins, IReadOnlyList<string>? AllowedAddresses);

/// <summary>Body of <c>POST .../submission-keys/{keyId}/rotate</c>: how long the old key keeps working (0 to 604800 seconds).</summary>
public sealed record RotateSubmissionKeyRequest(int OverlapSeconds);

namespace Serverless.Audit;

/// <summary>Where an action came from: the request id every log line carries, and the client address
/// (resolved from <c>X-Forwarded-For</c> with the configured trusted hops). The address is kept in the
/// audit entry only, never in logs.</summary>
public sealed record AuditRequest(string RequestId, string? ClientAddress);

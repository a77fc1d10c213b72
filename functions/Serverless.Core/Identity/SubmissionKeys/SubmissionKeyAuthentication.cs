namespace Serverless.Identity.SubmissionKeys;

/// <summary>The result of checking a presented key.</summary>
public abstract record SubmissionKeyAuthentication
{
    /// <summary>The key is valid: the request may submit on behalf of <paramref name="AgencyId"/>, and nothing else.</summary>
    public sealed record Succeeded(string KeyId, string AgencyId) : SubmissionKeyAuthentication;

    /// <summary>Refused, with a <see cref="SubmissionKeyFailureReasons"/> code. <paramref name="KeyId"/> is the
    /// presented key's id when it had the right shape (for the audit trail), else null; it is not proof of anything.</summary>
    public sealed record Failed(string Reason, string? KeyId) : SubmissionKeyAuthentication;
}

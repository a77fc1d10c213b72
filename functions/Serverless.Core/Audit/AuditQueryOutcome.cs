using Serverless.Validation;

namespace Serverless.Audit;

/// <summary>What an audit query came to: a page, or every field error (the HTTP layer maps it to
/// <c>request.validation-failed</c>). Who may read the audit is the caller's to decide, before asking.</summary>
public abstract record AuditQueryOutcome
{
    public sealed record Done(AuditPage Page) : AuditQueryOutcome;

    public sealed record Invalid(IReadOnlyList<ValidationError> Errors) : AuditQueryOutcome;
}

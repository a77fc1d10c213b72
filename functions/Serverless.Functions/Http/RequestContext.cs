using Serverless.Problems;

namespace Serverless.Functions.Http;

/// <summary>What every handler knows about the request it serves. <paramref name="Path"/> is the
/// problem's <c>instance</c>: paths carry opaque ids only, never personal data.</summary>
public sealed record RequestContext(string RequestId, ProblemLanguage Language, string Path)
{
    /// <summary>The client address (from <c>X-Forwarded-For</c> past the trusted hops), null when it cannot be
    /// resolved: for the audit and for network rules, never for logs.</summary>
    public System.Net.IPAddress? Address { get; init; }

    /// <summary><see cref="Address"/> as text, as the audit stores it.</summary>
    public string? ClientAddress => Address?.ToString();

    /// <summary>What the handler tells the audit about this request.</summary>
    public Serverless.Audit.AuditNotes Audit { get; } = new();

    public ApiResult Problem(ProblemCode code, string? detail = null, IReadOnlyList<FieldError>? errors = null)
        => Http.Problem.For(code, this, detail, errors);

    /// <summary>400 validation-failed listing every field error in the caller's language.</summary>
    public ApiResult Invalid(IEnumerable<Validation.ValidationError> errors)
        => Problem(
            ProblemCatalogue.ValidationFailed,
            errors: errors.Select(error => new FieldError(error.Field, error.Code, Validation.FieldRules.Message(error, Language == ProblemLanguage.English), error.Row)).ToList());
}

using Serverless.Problems;

namespace Serverless.Functions.Http;

/// <summary>What every handler knows about the request it serves. <paramref name="Path"/> is the
/// problem's <c>instance</c>: paths carry opaque ids only, never personal data.</summary>
public sealed record RequestContext(string RequestId, ProblemLanguage Language, string Path)
{
    public ApiResult Problem(ProblemCode code, string? detail = null, IReadOnlyList<FieldError>? errors = null)
        => Http.Problem.For(code, this, detail, errors);
}

using Serverless.Problems;

namespace Serverless.Functions.Http;

/// <summary>Builds problem responses from the catalogue, in the caller's language.</summary>
public static class Problem
{
    public const string ContentType = "application/problem+json; charset=utf-8";

    public static string TypeUri(ProblemCode code) => "urn:serverless-case-sharing:problem:" + code.Code;

    public static ApiResult For(ProblemCode code, RequestContext context, string? detail = null, IReadOnlyList<FieldError>? errors = null)
    {
        var body = new ProblemBody(
            TypeUri(code),
            code.Title(context.Language),
            code.Status,
            detail ?? code.Detail(context.Language),
            context.Path,
            code.Code,
            context.RequestId,
            errors);
        return new ApiResult(code.Status, body, ContentType);
    }
}

namespace Serverless.Functions.Http;

/// <summary>RFC 9457 problem details, with the stable <c>code</c> clients switch on. <paramref name="Reason"/>: a stable key
/// saying which of the code's cases this is (a refused file's <c>FileRejections</c> key, a disposal's refusal).</summary>
public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Instance,
    string Code,
    string RequestId,
    IReadOnlyList<FieldError>? Errors = null,
    IReadOnlyList<string>? CandidateCaseIds = null,
    string? Reason = null);

namespace Serverless.Functions.Http;

/// <summary>RFC 9457 problem details, with the stable <c>code</c> clients switch on.</summary>
public sealed record ProblemBody(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Instance,
    string Code,
    string RequestId,
    IReadOnlyList<FieldError>? Errors = null,
    IReadOnlyList<string>? CandidateCaseIds = null);

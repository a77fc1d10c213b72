namespace Serverless.Functions.Http;

/// <summary>One invalid field: its JSON path, a stable rule code, and what is wrong in the caller's
/// language. Never the value sent (it may be personal data).</summary>
/// <paramref name="Row"/>: in a bulk request (a month's attendance rows), the index of the row the error is in.
public sealed record FieldError(string Field, string Code, string Message, int? Row = null);

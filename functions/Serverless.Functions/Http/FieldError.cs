namespace Serverless.Functions.Http;

/// <summary>One invalid field: its JSON path, a stable rule code, and what is wrong in the caller's
/// language. Never the value sent (it may be personal data).</summary>
public sealed record FieldError(string Field, string Code, string Message);

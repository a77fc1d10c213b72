namespace Serverless.Functions.Http;

/// <summary>One invalid field: its JSON path and what is wrong, never the value sent (it may be personal data).</summary>
public sealed record FieldError(string Field, string Message);

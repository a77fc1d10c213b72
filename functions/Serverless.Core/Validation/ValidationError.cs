namespace Serverless.Validation;

/// <summary>One invalid field: its JSON path (e.g. <c>$.child.birthDate</c>), a stable rule code, and
/// the numbers the message needs. Never the value itself: it may be personal data.</summary>
public sealed record ValidationError(string Field, string Code, IReadOnlyDictionary<string, string>? Arguments = null)
{
    /// <summary>In a bulk request (a month's attendance rows): the index of the row the error is in.</summary>
    public int? Row { get; init; }
}

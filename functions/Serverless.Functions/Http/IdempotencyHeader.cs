using Microsoft.AspNetCore.Http;
using Serverless.Idempotency;
using Serverless.Identity;

namespace Serverless.Functions.Http;

/// <summary>
/// Reads <c>Idempotency-Key</c> (IETF httpapi draft): a structured-field string (<c>"…"</c>) or, as many clients
/// send it, the bare text; 1 to 255 printable ASCII characters, once. Absent: null. Anything else is
/// <see cref="IdempotencyKey.Malformed"/>, which the service refuses once the case is known reachable.
/// </summary>
public static class IdempotencyHeader
{
    public const string Name = "Idempotency-Key";

    public static IdempotencyKey? Read(HttpRequest request, Caller caller, string operation, ReadOnlyMemory<byte> body)
    {
        var values = request.Headers[Name];
        if (values.Count == 0)
        {
            return null;
        }

        var text = values.Count == 1 ? values[0]!.Trim() : "";
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"')
        {
            text = text[1..^1];
        }

        return text.Contains('"', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal) || !IdempotencyKey.IsWellFormed(text)
            ? IdempotencyKey.Malformed
            : IdempotencyKey.For(caller, operation, text, body.Span);
    }
}

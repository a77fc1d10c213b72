using System.Security.Cryptography;
using System.Text;
using Serverless.Identity;

namespace Serverless.Idempotency;

/// <summary>
/// An <c>Idempotency-Key</c> as the store uses it: the key scoped to its caller (a person or a submission key,
/// so two forms never collide) and to the operation, hashed (the key is the client's text and goes into a row
/// key), with the fingerprint of the request body it came with.
/// </summary>
public sealed record IdempotencyKey(string Scope, string RequestHash)
{
    /// <summary>The longest key accepted (the draft leaves it to the server; a UUID is 36).</summary>
    public const int MaxLength = 255;

    /// <summary>A header that was sent but is not a key the API accepts: refused (400) once the case is known reachable.</summary>
    public static IdempotencyKey Malformed { get; } = new("", "");

    public static IdempotencyKey For(Caller caller, string operation, string key, ReadOnlySpan<byte> body)
        => new(
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', caller.Kind.ToString(), caller.Id, operation, key))))[..40],
            Convert.ToHexStringLower(SHA256.HashData(body)));

    /// <summary>Whether <paramref name="key"/> is a key the API accepts: 1 to <see cref="MaxLength"/> printable ASCII characters.</summary>
    public static bool IsWellFormed(string key)
        => key.Length is > 0 and <= MaxLength && key.All(c => c is >= ' ' and <= '~');
}

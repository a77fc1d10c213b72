using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Serverless.Cases;

/// <summary>Case ids are opaque: 128 random bits in lowercase base32 after "c", so they say nothing
/// about the child and cannot be guessed or enumerated.</summary>
public static partial class CaseIds
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford: no i, l, o, u

    public static string New() => "c" + RandomPart();

    /// <summary>128 random bits as 26 characters of lowercase Crockford base32: the body of every opaque id.</summary>
    internal static string RandomPart()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base32(bytes);
    }

    /// <summary>16 bytes as 26 characters of lowercase Crockford base32.</summary>
    internal static string Base32(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[26];
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true);
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 32)];
            value /= 32;
        }

        return new string(chars);
    }

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    [GeneratedRegex("^c[0-9abcdefghjkmnpqrstvwxyz]{26}$")]
    private static partial Regex Shape();
}

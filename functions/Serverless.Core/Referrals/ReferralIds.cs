using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Serverless.Cases;
using Serverless.Idempotency;

namespace Serverless.Referrals;

/// <summary>
/// Referral ids: <c>f</c> and 128 bits in lowercase base32, like a case id. A request with an Idempotency-Key gets
/// the id derived from the key's scope (a hash of the caller, the operation and the key), so a retry lands in the
/// same partition and finds the first attempt's answer there; without a key the bits are random.
/// </summary>
public static partial class ReferralIds
{
    public static string New() => "f" + CaseIds.RandomPart();

    public static string For(IdempotencyKey key)
        => "f" + CaseIds.Base32(SHA256.HashData(Encoding.UTF8.GetBytes("referral\n" + key.Scope)).AsSpan(0, 16));

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    /// <summary>The id of the case created from a referral: derived from it, so a decision retried after a crash
    /// finds the case it created instead of registering the child twice.</summary>
    public static string CaseFor(string referralId) => "c" + referralId[1..];

    [GeneratedRegex("^f[0-9abcdefghjkmnpqrstvwxyz]{26}$")]
    private static partial Regex Shape();
}

/// <summary>
/// A receipt number a person can quote on the phone: eight characters in two groups (<c>K7QM-3XRD</c>) from an
/// alphabet without look-alikes (no 0/O, 1/I/L, U/V). Random: it opens nothing and says nothing; a coordinator
/// looks a referral up by it.
/// </summary>
public static partial class ReceiptNumbers
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ";

    public static string New()
    {
        Span<char> chars = stackalloc char[9];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = i == 4 ? '-' : Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>A number as a person typed or read it: upper-cased, the hyphen optional.</summary>
    public static string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var compact = text.Trim().Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        return compact.Length == 8 && compact.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? compact[..4] + "-" + compact[4..] : null;
    }
}

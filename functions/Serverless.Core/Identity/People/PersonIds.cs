using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Serverless.Identity.People;

/// <summary>
/// A person's id is derived from who signed them in: the configured issuer's name and the token's
/// subject (Entra's <c>oid</c>). It is opaque (a hash), stable across sign-ins, and needs no lookup
/// table, so sign-in reads one partition. Issuer names are therefore permanent once people use them.
/// </summary>
public static partial class PersonIds
{
    public static string For(string issuerName, string subject)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(issuerName + "\n" + subject));
        return "p-" + Convert.ToHexStringLower(hash)[..24];
    }

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    [GeneratedRegex("^p-[0-9a-f]{24}$")]
    private static partial Regex Shape();
}

using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Serverless.Identity.People;

/// <summary>Membership ids: 16 random hex characters, opaque.</summary>
public static partial class MembershipIds
{
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    [GeneratedRegex("^[0-9a-f]{16}$")]
    private static partial Regex Shape();
}

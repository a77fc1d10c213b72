using System.Text.RegularExpressions;

namespace Serverless.Agencies;

/// <summary>Agency ids are short readable slugs chosen at registration (e.g. "nantan-kodomo-ka"):
/// agencies are not people, and a readable id helps ops. Lowercase letters, digits and dashes.</summary>
public static partial class AgencyIds
{
    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")]
    private static partial Regex Shape();
}

namespace Serverless.Identity.Tokens;

/// <summary>A list in one setting (what an app setting can hold): items separated by commas, semicolons or white space.</summary>
public static class SettingLists
{
    private static readonly char[] Separators = [',', ';', ' ', '\t', '\r', '\n'];

    public static IReadOnlySet<string> Split(string? value)
        => (value ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}

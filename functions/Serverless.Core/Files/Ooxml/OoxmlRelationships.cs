namespace Serverless.Files.Ooxml;

/// <summary>
/// A relationship that points outside the package (<c>TargetMode="External"</c>) is loaded by Office when the file
/// opens, except a hyperlink, which waits for a click. A remote template (the "template injection" attack), a
/// linked image on a server (a read receipt) or a UNC path (which hands the reader's Windows credentials to that
/// server) refuses the package; a local path (<c>file:///C:/…</c>, a template on the author's own disk, which
/// Word writes into many ordinary documents) does not.
/// </summary>
internal static class OoxmlRelationships
{
    public static bool IsRefused(string? type, string? target)
    {
        if (type is not null && type.EndsWith("/hyperlink", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return IsRemote(target?.Trim() ?? "");
    }

    public static bool IsRemote(string target)
    {
        if (target.StartsWith(@"\\", StringComparison.Ordinal) || target.StartsWith("//", StringComparison.Ordinal))
        {
            return true; // a UNC path
        }

        var colon = target.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 1)
        {
            return false; // relative, or a drive letter (C:\…)
        }

        var scheme = target[..colon];
        if (!scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            return false;
        }

        if (!scheme.Equals("file", StringComparison.OrdinalIgnoreCase))
        {
            return true; // http:, https:, ftp:, mhtml:, …
        }

        // file:///C:/… is local; file://server/share/… is not.
        var rest = target[(colon + 1)..].Replace('\\', '/');
        return rest.StartsWith("//", StringComparison.Ordinal) && !rest.StartsWith("///", StringComparison.Ordinal);
    }
}

namespace Serverless.Files.Ooxml;

/// <summary>Part names that refuse a package whatever [Content_Types].xml claims for them.</summary>
internal static class OoxmlPartNames
{
    private static readonly HashSet<string> MacroParts = new(StringComparer.Ordinal)
    {
        "vbaproject.bin", "vbaprojectsignature.bin", "vbaprojectsignatureagile.bin", "vbaprojectsignaturev3.bin", "vbadata.xml", "attachedtoolbars.bin",
    };

    /// <summary>A <see cref="FileRejections"/> key for a lower-cased part name, or null.</summary>
    public static string? Refusal(string lowerName)
    {
        var slash = lowerName.LastIndexOf('/');
        var file = lowerName[(slash + 1)..];
        if (MacroParts.Contains(file))
        {
            return FileRejections.OfficeMacro;
        }

        // Embedded files and OLE objects (a chart's data workbook lives here too), ActiveX controls.
        return lowerName.Contains("/embeddings/", StringComparison.Ordinal) || lowerName.Contains("/activex/", StringComparison.Ordinal)
            || file.StartsWith("oleobject", StringComparison.Ordinal)
            ? FileRejections.OfficeEmbeddedObject
            : null;
    }

    /// <summary>Whether the name is one a package may hold: relative, forward slashes, no empty, "." or ".." segment,
    /// no drive or NUL (the names a careless unzip would write outside its folder).</summary>
    public static bool IsSafe(string name)
    {
        if (name.Length == 0 || name.Contains('\\', StringComparison.Ordinal) || name.Contains(':', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        var segments = name.EndsWith('/') ? name[..^1].Split('/') : name.Split('/');
        return segments.All(segment => segment.Length > 0 && segment is not ("." or ".."));
    }
}

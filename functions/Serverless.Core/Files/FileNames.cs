using System.Globalization;
using System.Text;

namespace Serverless.Files;

/// <summary>
/// The original name of an uploaded file is entry content (kept in the table row, shown to those who may see the
/// entry, offered as the download name); blob names and tags are ids only. Before it is kept it loses: any path
/// (<c>../</c>, <c>C:\</c>, either slash), control and invisible format characters (bidi overrides such as U+202E,
/// which make <c>gpj.exe</c> read as <c>exe.jpg</c>, zero-width characters, BOMs), characters Windows cannot save,
/// leading dots and surrounding spaces; it is normalised to NFC (a macOS name arrives decomposed) and cut to
/// <see cref="MaxLength"/> characters keeping its extension.
/// </summary>
public static class FileNames
{
    /// <summary>In characters as a reader counts them (text elements), not UTF-16 units.</summary>
    public const int MaxLength = 100;

    private const int MaxExtensionLength = 10;

    private static readonly HashSet<string> DeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    public static SanitisedFileName Sanitise(string? uploaded)
    {
        var text = new StringBuilder();
        foreach (var rune in (uploaded ?? "").EnumerateRunes())
        {
            if (rune == Rune.ReplacementChar)
            {
                continue; // a lone surrogate
            }

            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue; // C0/C1 controls, bidi marks and overrides, zero-width characters, BOM, unassigned
            }

            text.Append(rune.ToString());
        }

        var name = text.ToString().Normalize(NormalizationForm.FormC).Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        if (name.Length >= 2 && char.IsAsciiLetter(name[0]) && name[1] == ':')
        {
            name = name[2..]; // C:name.pdf
        }

        var safe = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            safe.Append(c is '<' or '>' or ':' or '"' or '|' or '?' or '*' ? '_' : char.IsWhiteSpace(c) && c != '\u3000' ? ' ' : c);
        }

        name = safe.ToString().Trim().TrimStart('.').TrimEnd('.', ' ').Trim();
        if (name.Length == 0)
        {
            return new SanitisedFileName.Refused(new FileRejection(FileRejections.NameEmpty));
        }

        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (DeviceNames.Contains(dot < 0 ? name : name[..dot]))
        {
            name = "_" + name; // CON.pdf cannot be saved on Windows
        }

        return new SanitisedFileName.Valid(Shorten(name));
    }

    /// <summary>The name to offer for download: <paramref name="name"/> with the extension of the type its content
    /// was found to be (a PNG sent as <c>photo.jpg</c> downloads as <c>photo.png</c>, so it opens in the right program).</summary>
    public static string ForDownload(string name, FileType type)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        var extension = Extension(name);
        var same = extension.Equals(type.Extension, StringComparison.OrdinalIgnoreCase)
            || (type.Kind == FileKind.Jpeg && extension.Equals(".jpeg", StringComparison.OrdinalIgnoreCase));
        return same ? name : Shorten(name[..(name.Length - extension.Length)].TrimEnd('.', ' ') + type.Extension);
    }

    private static string Shorten(string name)
    {
        var info = new StringInfo(name);
        if (info.LengthInTextElements <= MaxLength)
        {
            return name;
        }

        var extension = Extension(name);
        var extensionLength = new StringInfo(extension).LengthInTextElements;
        var stem = new StringInfo(name[..(name.Length - extension.Length)]);
        return stem.SubstringByTextElements(0, MaxLength - extensionLength).TrimEnd('.', ' ') + extension;
    }

    /// <summary>The last ".xxx" of a name when it looks like an extension (short, no spaces), else "".</summary>
    private static string Extension(string name)
    {
        var dot = name.LastIndexOf('.');
        if (dot <= 0 || name.Length - dot > MaxExtensionLength + 1 || name.Length - dot < 2)
        {
            return "";
        }

        var extension = name[dot..];
        return extension.Any(char.IsWhiteSpace) ? "" : extension;
    }
}

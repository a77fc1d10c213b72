using System.Text;

namespace Serverless.Files;

/// <summary>
/// The Content-Disposition header a download is served with: always <c>attachment</c> (a file is never shown inline
/// by the browser, so nothing stored is ever rendered as a page), with an ASCII <c>filename</c> for old clients and
/// the real name as <c>filename*</c> in UTF-8 (RFC 6266, RFC 8187). ASP.NET Core's ContentDispositionHeaderValue
/// is not available here (Core references no ASP.NET Core); System.Net.Http's writes non-ASCII names in RFC 2047
/// form, which browsers do not read in this header.
/// </summary>
public static class ContentDisposition
{
    public static string Attachment(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return $"attachment; filename=\"{AsciiFallback(name)}\"; filename*=UTF-8''{Encode(name)}";
    }

    /// <summary>Printable ASCII kept except <c>"</c>, <c>\</c> and <c>%</c>; each run of anything else becomes one
    /// <c>_</c>; a name with no letter or digit left becomes <c>file</c> with its extension.</summary>
    internal static string AsciiFallback(string name)
    {
        var ascii = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (c is >= ' ' and <= '~' and not ('"' or '\\' or '%'))
            {
                ascii.Append(c);
            }
            else if (ascii.Length == 0 || ascii[^1] != '_')
            {
                ascii.Append('_');
            }
        }

        var text = ascii.ToString();
        var dot = text.LastIndexOf('.');
        var stem = dot > 0 ? text[..dot] : text;
        return stem.Any(char.IsAsciiLetterOrDigit) ? text : "file" + (dot > 0 && text[(dot + 1)..].All(char.IsAsciiLetterOrDigit) ? text[dot..] : "");
    }

    /// <summary>RFC 8187 value-chars: attr-char as is, every other UTF-8 byte as %XX.</summary>
    internal static string Encode(string name)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'!' or (byte)'#' or (byte)'$' or (byte)'&' or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}

namespace Serverless.Files.Ooxml;

/// <summary>What a content type in [Content_Types].xml says about the package.</summary>
internal static class OoxmlContentTypes
{
    public const string WordMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    public const string ExcelMain = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
    public const string PowerPointMain = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml";

    /// <summary>The accepted type whose main part this is, or null.</summary>
    public static FileType? MainPart(string contentType) => contentType.ToLowerInvariant() switch
    {
        WordMain => FileType.Docx,
        ExcelMain => FileType.Xlsx,
        PowerPointMain => FileType.Pptx,
        _ => null,
    };

    /// <summary>A <see cref="FileRejections"/> key when a part of this type refuses the package, else null.</summary>
    public static string? Refusal(string contentType)
    {
        var type = contentType.Trim().ToLowerInvariant();

        // .docm, .xlsm, .pptm, .xlsb, templates and add-ins with macros; VBA projects and their signatures; Excel 4.0 macro sheets.
        if (type.Contains("macroenabled", StringComparison.Ordinal) || type.StartsWith("application/vnd.ms-office.vbaproject", StringComparison.Ordinal)
            || type.StartsWith("application/vnd.ms-word.vbadata", StringComparison.Ordinal) || type.Contains("macrosheet", StringComparison.Ordinal))
        {
            return FileRejections.OfficeMacro;
        }

        // ActiveX controls, OLE objects, and the HTML, MHT and RTF chunks Word imports as they are (altChunk).
        if (type.StartsWith("application/vnd.ms-office.activex", StringComparison.Ordinal) || type == "application/vnd.openxmlformats-officedocument.oleobject"
            || type is "text/html" or "application/xhtml+xml" or "message/rfc822" or "application/rtf" or "text/rtf")
        {
            return FileRejections.OfficeEmbeddedObject;
        }

        // Excel's links to other workbooks, and the DDE links that live in the same parts.
        return type == "application/vnd.openxmlformats-officedocument.spreadsheetml.externallink+xml" ? FileRejections.OfficeExternalLink : null;
    }
}

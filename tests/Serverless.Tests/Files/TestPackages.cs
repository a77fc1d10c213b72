using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Serverless.Tests.Files;

/// <summary>Word, Excel and PowerPoint packages made with System.IO.Compression, and zips written header by header
/// for the ones that lie.</summary>
internal static class TestPackages
{
    public const string WordMain = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
    public const string WordMacroMain = "application/vnd.ms-word.document.macroEnabled.main+xml";

    public static byte[] Docx(params (string Name, string Content)[] extra) => Package("word/document.xml", WordMain, extra);

    public static byte[] Xlsx() => Package("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");

    public static byte[] Pptx() => Package("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml");

    public static byte[] Docm() => Package("word/document.xml", WordMacroMain, ("word/vbaProject.bin", "VBA"));

    /// <summary>A package with [Content_Types].xml naming <paramref name="main"/>'s content type, the package
    /// relationships, the main part and <paramref name="extra"/> parts; overrides given as
    /// <c>("[override]/part", "type")</c> go into [Content_Types].xml.</summary>
    public static byte[] Package(string main, string mainType, params (string Name, string Content)[] extra)
    {
        var overrides = extra.Where(part => part.Name.StartsWith("[override]", StringComparison.Ordinal))
            .Select(part => $"<Override PartName=\"{part.Name["[override]".Length..]}\" ContentType=\"{part.Content}\"/>");
        var contentTypes = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + $"<Override PartName=\"/{main}\" ContentType=\"{mainType}\"/>" + string.Concat(overrides) + "</Types>";
        var rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + $"<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"{main}\"/></Relationships>";
        return Zip([("[Content_Types].xml", contentTypes), ("_rels/.rels", rels), (main, "<document>診断書の本文</document>"),
            .. extra.Where(part => !part.Name.StartsWith("[override]", StringComparison.Ordinal))]);
    }

    public static byte[] Zip(params (string Name, string Content)[] parts)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in parts)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return output.ToArray();
    }

    public static string Relationships(string type, string target, string mode = "External") =>
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        + $"<Relationship Id=\"rId9\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{type}\" Target=\"{target}\" TargetMode=\"{mode}\"/></Relationships>";

    /// <summary>One part of a hand-written zip: its name, its bytes as stored, the method, and the sizes the
    /// headers declare (which may be lies).</summary>
    public sealed record RawPart(string Name, byte[] Stored, int Method, uint Crc, long DeclaredUncompressed);

    public static RawPart Deflated(string name, byte[] content, long? declared = null)
    {
        using var compressed = new MemoryStream();
        using (var deflate = new DeflateStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            deflate.Write(content);
        }

        return new RawPart(name, compressed.ToArray(), 8, Serverless.Files.Crc32.Compute(content), declared ?? content.Length);
    }

    public static RawPart Deflated(string name, string content) => Deflated(name, Encoding.UTF8.GetBytes(content));

    /// <summary>A zip written header by header: local headers and data end to end, then the central directory and
    /// its end record, each declaring what the parts say.</summary>
    public static byte[] RawZip(params RawPart[] parts)
    {
        using var output = new MemoryStream();
        var offsets = new List<long>();
        foreach (var part in parts)
        {
            offsets.Add(output.Position);
            var name = Encoding.UTF8.GetBytes(part.Name);
            var header = new byte[30];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x04034B50);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 0x800);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)part.Method);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(14), part.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(18), (uint)part.Stored.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(22), (uint)part.DeclaredUncompressed);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(26), (ushort)name.Length);
            output.Write(header);
            output.Write(name);
            output.Write(part.Stored);
        }

        var directory = output.Position;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var name = Encoding.UTF8.GetBytes(part.Name);
            var header = new byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0x02014B50);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), 0x800);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), (ushort)part.Method);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), part.Crc);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), (uint)part.Stored.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)part.DeclaredUncompressed);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(28), (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(42), (uint)offsets[i]);
            output.Write(header);
            output.Write(name);
        }

        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054B50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)parts.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)parts.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)(output.Position - directory));
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)directory);
        output.Write(end);
        return output.ToArray();
    }

    /// <summary>The parts every Word document has, for raw zips.</summary>
    public static RawPart[] WordParts() =>
    [
        Deflated("[Content_Types].xml", $"<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Override PartName=\"/word/document.xml\" ContentType=\"{WordMain}\"/></Types>"),
        Deflated("word/document.xml", "<document/>"),
    ];
}

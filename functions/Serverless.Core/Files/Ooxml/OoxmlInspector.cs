using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Serverless.Files.Ooxml;

/// <summary>
/// Decides whether a zip is a Word, Excel or PowerPoint file that may be stored. In order: the zip's own structure
/// (one directory at the very end, parts laid end to end from the first byte, no ZIP64, no encryption, no other
/// disk, no part name that climbs out of its folder, no name twice); the limits of <see cref="ZipLimits"/> against
/// the sizes the directory declares, before inflating anything; part names that mean macros or embedded objects;
/// then every part inflated, no further than it declared, its CRC checked and its first bytes looked at for an
/// archive or OLE file inside; [Content_Types].xml and every relationship part parsed on the way (no DTD).
/// </summary>
internal sealed class OoxmlInspector(Stream file, ZipLimits limits, CancellationToken cancellationToken)
{
    private const uint LocalHeader = 0x04034B50;
    private const uint CentralHeader = 0x02014B50;
    private const uint EndOfDirectory = 0x06054B50;
    private const uint Zip64Locator = 0x07064B50;

    private static ReadOnlySpan<byte> Gzip => [0x1F, 0x8B];

    private static ReadOnlySpan<byte> SevenZip => [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C];

    private static ReadOnlySpan<byte> Ole => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private readonly byte[] scratch = new byte[16 * 1024];
    private readonly HashSet<FileType> mainParts = [];

    /// <summary>Bytes inflated so far (tests hold the limits to it).</summary>
    public long Inflated { get; private set; }

    public FileInspection Inspect()
    {
        if (EndProblem(out var directoryOffset, out var directorySize, out var count) is { } problem)
        {
            return FileInspection.Refuse(problem);
        }

        var entries = new ZipEntry[count];
        if (ReadDirectory(directoryOffset, directorySize, entries) is { } directoryProblem)
        {
            return FileInspection.Refuse(directoryProblem);
        }

        Array.Sort(entries, (a, b) => a.LocalOffset.CompareTo(b.LocalOffset));
        var expected = 0L;
        var slack = 0L;
        foreach (var entry in entries)
        {
            if (entry.LocalOffset < expected || entry.LocalOffset > expected + slack)
            {
                return FileInspection.Refuse(FileRejections.Damaged); // parts overlap, or bytes hide between them
            }

            if (ReadPart(entry, directoryOffset, out var end) is { } partProblem)
            {
                return FileInspection.Refuse(partProblem);
            }

            expected = end;
            slack = (entry.Flags & 0x08) != 0 ? 16 : 0; // a data descriptor follows the data
        }

        if (directoryOffset < expected || directoryOffset > expected + slack)
        {
            return FileInspection.Refuse(FileRejections.Damaged);
        }

        return mainParts.Count == 1 ? new FileInspection.Accepted(mainParts.Single()) : FileInspection.Refuse(FileRejections.UnsupportedType);
    }

    /// <summary>Finds the end-of-central-directory record, which must end the file exactly.</summary>
    private string? EndProblem(out long directoryOffset, out long directorySize, out int count)
    {
        directoryOffset = directorySize = count = 0;
        var tailLength = (int)Math.Min(file.Length, 22 + 65535);
        var tail = new byte[tailLength];
        file.Position = file.Length - tailLength;
        file.ReadExactly(tail);
        var at = -1;
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndOfDirectory && i + 22 + BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 20)) == tailLength)
            {
                at = i;
                break;
            }
        }

        if (at < 0)
        {
            return FileRejections.Damaged; // no directory at the end: cut off, or something appended
        }

        var record = tail.AsSpan(at);
        var disk = BinaryPrimitives.ReadUInt16LittleEndian(record[4..]);
        var directoryDisk = BinaryPrimitives.ReadUInt16LittleEndian(record[6..]);
        var onDisk = BinaryPrimitives.ReadUInt16LittleEndian(record[8..]);
        var total = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        var size = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        var offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        if ((at >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at - 20)) == Zip64Locator) || total == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF)
        {
            return FileRejections.CannotInspect; // ZIP64: never needed below the size limit
        }

        if (disk != 0 || directoryDisk != 0 || onDisk != total)
        {
            return FileRejections.Damaged; // a multi-disk archive
        }

        if (total > limits.MaxEntries)
        {
            return FileRejections.ArchiveLimits;
        }

        var endOffset = file.Length - tailLength + at;
        if (offset + size != endOffset || size < 46L * total)
        {
            return FileRejections.Damaged;
        }

        (directoryOffset, directorySize, count) = (offset, size, total);
        return null;
    }

    private string? ReadDirectory(long offset, long size, ZipEntry[] entries)
    {
        var reader = new ByteReader(file, cancellationToken);
        reader.Seek(offset);
        Span<byte> header = stackalloc byte[46];
        var nameBytes = new byte[1024];
        var names = new HashSet<ulong>();
        var totalUncompressed = 0L;
        var contentTypes = false;
        string? partRefusal = null;
        for (var i = 0; i < entries.Length; i++)
        {
            if (!reader.TryRead(header) || BinaryPrimitives.ReadUInt32LittleEndian(header) != CentralHeader)
            {
                return FileRejections.Damaged;
            }

            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[16..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
            long uncompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(header[32..]);
            var diskStart = BinaryPrimitives.ReadUInt16LittleEndian(header[34..]);
            long localOffset = BinaryPrimitives.ReadUInt32LittleEndian(header[42..]);
            if (nameLength is 0 or > 1024 || !reader.TryRead(nameBytes.AsSpan(0, nameLength)) || !reader.TrySkip(extraLength + commentLength) || diskStart != 0)
            {
                return FileRejections.Damaged;
            }

            if ((flags & 0x41) != 0 || method is not (0 or 8))
            {
                return FileRejections.CannotInspect; // encrypted, or compressed by a method Office never uses
            }

            if (compressed == 0xFFFFFFFF || uncompressed == 0xFFFFFFFF || localOffset == 0xFFFFFFFF)
            {
                return FileRejections.CannotInspect;
            }

            if (method == 0 && compressed != uncompressed)
            {
                return FileRejections.Damaged;
            }

            // Limits against what the directory declares, before a byte is inflated.
            totalUncompressed += uncompressed;
            if (totalUncompressed > limits.MaxTotalUncompressedBytes || (uncompressed > limits.RatioGraceBytes && uncompressed > compressed * limits.MaxCompressionRatio))
            {
                return FileRejections.ArchiveLimits;
            }

            var name = ((flags & 0x800) != 0 ? Encoding.UTF8 : Encoding.Latin1).GetString(nameBytes, 0, nameLength);
            var lower = name.ToLowerInvariant();
            if (!OoxmlPartNames.IsSafe(name) || !names.Add(Hash(lower)))
            {
                return FileRejections.Damaged; // a name that climbs out, or the same part twice (part names ignore case)
            }

            partRefusal ??= OoxmlPartNames.Refusal(lower);
            var part = lower == "[content_types].xml" ? ZipPart.ContentTypes : lower.EndsWith(".rels", StringComparison.Ordinal) ? ZipPart.Relationships : ZipPart.Other;
            contentTypes |= part == ZipPart.ContentTypes;
            entries[i] = new ZipEntry(localOffset, compressed, uncompressed, crc, method, flags, Hash(nameBytes.AsSpan(0, nameLength)), part);
        }

        if (reader.Position != offset + size)
        {
            return FileRejections.Damaged;
        }

        if (totalUncompressed > limits.RatioGraceBytes && totalUncompressed > file.Length * limits.MaxCompressionRatio)
        {
            return FileRejections.ArchiveLimits;
        }

        return partRefusal ?? (contentTypes ? null : FileRejections.UnsupportedType); // a plain zip
    }

    /// <summary>Checks a part's local header against its directory record, then inflates and reads the part.</summary>
    private string? ReadPart(ZipEntry entry, long directoryOffset, out long end)
    {
        end = 0;
        Span<byte> header = stackalloc byte[30];
        Span<byte> name = stackalloc byte[1024];
        file.Position = entry.LocalOffset;
        if (file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) != header.Length
            || BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeader
            || BinaryPrimitives.ReadUInt16LittleEndian(header[8..]) != entry.Method)
        {
            return FileRejections.Damaged;
        }

        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
        var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
        if (nameLength is 0 or > 1024 || file.ReadAtLeast(name[..nameLength], nameLength, throwOnEndOfStream: false) != nameLength || Hash(name[..nameLength]) != entry.NameHash)
        {
            return FileRejections.Damaged; // the local header names another part than the directory
        }

        var start = entry.LocalOffset + 30 + nameLength + extraLength;
        end = start + entry.CompressedSize;
        if (end > directoryOffset)
        {
            return FileRejections.Damaged;
        }

        try
        {
            using var data = new RangeStream(file, start, entry.CompressedSize);
            using var content = entry.Method == 8 ? new DeflateStream(data, CompressionMode.Decompress) : (Stream)data;
            using var checkedContent = new CheckedEntryStream(content, entry.UncompressedSize);
            var problem = entry.Part switch
            {
                ZipPart.ContentTypes => ReadContentTypes(checkedContent, entry),
                ZipPart.Relationships => ReadRelationships(checkedContent, entry),
                _ => null,
            };
            checkedContent.Drain(scratch);
            Inflated += checkedContent.Count;
            if (checkedContent.Exceeded)
            {
                return FileRejections.ArchiveLimits; // it inflates to more than it declared
            }

            if (checkedContent.Count != entry.UncompressedSize || checkedContent.Crc != entry.Crc)
            {
                return FileRejections.Damaged;
            }

            return problem ?? Nested(checkedContent.Start);
        }
        catch (InvalidDataException)
        {
            return FileRejections.Damaged;
        }
    }

    /// <summary>An archive, compressed file or OLE compound file inside a part is a file inside the file.</summary>
    private static string? Nested(ReadOnlySpan<byte> start) =>
        start.StartsWith("PK\x03\x04"u8) || start.StartsWith("PK\x05\x06"u8) || start.StartsWith(Gzip) || start.StartsWith(SevenZip)
        || start.StartsWith("Rar!"u8) || start.StartsWith(Ole)
            ? FileRejections.OfficeEmbeddedObject
            : null;

    private string? ReadContentTypes(Stream content, ZipEntry entry)
    {
        if (entry.UncompressedSize > limits.MaxParsedXmlBytes)
        {
            return FileRejections.CannotInspect;
        }

        try
        {
            using var xml = XmlReader.Create(content, XmlSettings());
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName is not ("Default" or "Override") || xml.GetAttribute("ContentType") is not { } type)
                {
                    continue;
                }

                if (OoxmlContentTypes.Refusal(type) is { } refusal)
                {
                    return refusal;
                }

                if (OoxmlContentTypes.MainPart(type) is { } main)
                {
                    mainParts.Add(main);
                }
            }

            return null;
        }
        catch (XmlException)
        {
            return FileRejections.Damaged;
        }
    }

    private string? ReadRelationships(Stream content, ZipEntry entry)
    {
        if (entry.UncompressedSize > limits.MaxParsedXmlBytes)
        {
            return FileRejections.CannotInspect;
        }

        try
        {
            using var xml = XmlReader.Create(content, XmlSettings());
            while (xml.Read())
            {
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship"
                    && string.Equals(xml.GetAttribute("TargetMode"), "External", StringComparison.OrdinalIgnoreCase)
                    && OoxmlRelationships.IsRefused(xml.GetAttribute("Type"), xml.GetAttribute("Target")))
                {
                    return FileRejections.OfficeExternalLink;
                }
            }

            return null;
        }
        catch (XmlException)
        {
            return FileRejections.Damaged;
        }
    }

    private XmlReaderSettings XmlSettings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = limits.MaxParsedXmlBytes,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    // FNV-1a, 64 bits, of the name's bytes with ASCII letters lower-cased: part names compare without case.
    private static ulong Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ (b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b)) * 1099511628211UL;
        }

        return hash;
    }

    private static ulong Hash(string lower) => Hash(Encoding.UTF8.GetBytes(lower));
}

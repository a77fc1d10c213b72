using System.Buffers.Binary;
using System.Text;

namespace Serverless.Transfers.Files;

/// <summary>
/// The payload of an export file: the package JSON and the files, as a length-prefixed list (big-endian integers):
/// <list type="number">
/// <item><c>"SVTRFIL1"</c> (8 bytes);</item>
/// <item>the package JSON's length (4 bytes), then the package JSON (UTF-8, a <c>TransferPackage</c>);</item>
/// <item>the number of files (4 bytes);</item>
/// <item>for each file: its id's length (2 bytes), the id (UTF-8, the <c>fileId</c> the package names), the content's
/// length (8 bytes), then the content.</item>
/// </list>
/// Nothing may follow the last file. Names, types and SHA-256 hashes are in the package, not here: the reader checks
/// every file against the package (<see cref="TransferFile.Open"/>).
/// </summary>
internal static class TransferFileContainer
{
    private const int MaxFileIdBytes = 200;
    private static readonly byte[] Magic = "SVTRFIL1"u8.ToArray();

    public static byte[] Write(byte[] packageJson, IReadOnlyList<TransferFileContent> files)
    {
        var ids = files.Select(file => Encoding.UTF8.GetBytes(file.FileId)).ToList();
        if (ids.Any(id => id.Length is 0 or > MaxFileIdBytes))
        {
            throw new ArgumentException($"A file id must be 1 to {MaxFileIdBytes} bytes.", nameof(files));
        }

        var length = Magic.Length + 4L + packageJson.Length + 4 + files.Sum(file => 2L + 8 + file.Content.Length) + ids.Sum(id => (long)id.Length);
        if (length > TransferFile.MaxFileBytes)
        {
            throw new TransferFileException(TransferFileFailure.TooLarge, $"The package and its files come to {length} bytes; an export file holds at most {TransferFile.MaxFileBytes}.");
        }

        var buffer = new byte[length];
        var span = buffer.AsSpan();
        Magic.CopyTo(span);
        var at = Magic.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)packageJson.Length);
        at += 4;
        packageJson.CopyTo(span[at..]);
        at += packageJson.Length;
        BinaryPrimitives.WriteUInt32BigEndian(span[at..], (uint)files.Count);
        at += 4;
        for (var i = 0; i < files.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)ids[i].Length);
            at += 2;
            ids[i].CopyTo(span[at..]);
            at += ids[i].Length;
            BinaryPrimitives.WriteUInt64BigEndian(span[at..], (ulong)files[i].Content.Length);
            at += 8;
            files[i].Content.CopyTo(span[at..]);
            at += files[i].Content.Length;
        }

        return buffer;
    }

    /// <summary>The package JSON and the files; throws <see cref="TransferFileException"/> (Malformed, TooLarge).</summary>
    public static (byte[] PackageJson, IReadOnlyList<TransferFileContent> Files) Read(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < Magic.Length + 8 || !payload[..Magic.Length].SequenceEqual(Magic))
        {
            throw Malformed();
        }

        var at = Magic.Length;
        var packageLength = BinaryPrimitives.ReadUInt32BigEndian(payload[at..]);
        at += 4;
        if (packageLength > payload.Length - at - 4)
        {
            throw Malformed();
        }

        var packageJson = payload.Slice(at, (int)packageLength).ToArray();
        at += (int)packageLength;
        var count = BinaryPrimitives.ReadUInt32BigEndian(payload[at..]);
        at += 4;
        if (count > TransferFile.MaxFiles)
        {
            throw new TransferFileException(TransferFileFailure.TooLarge, $"The file says it carries {count} files; an export file carries at most {TransferFile.MaxFiles}.");
        }

        var files = new List<TransferFileContent>((int)count);
        for (var i = 0; i < count; i++)
        {
            if (payload.Length - at < 2)
            {
                throw Malformed();
            }

            var idLength = BinaryPrimitives.ReadUInt16BigEndian(payload[at..]);
            at += 2;
            if (idLength is 0 or > MaxFileIdBytes || payload.Length - at < idLength + 8)
            {
                throw Malformed();
            }

            string id;
            try
            {
                id = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(payload.Slice(at, idLength));
            }
            catch (DecoderFallbackException)
            {
                throw Malformed();
            }

            at += idLength;
            var contentLength = BinaryPrimitives.ReadUInt64BigEndian(payload[at..]);
            at += 8;
            if (contentLength > (ulong)(payload.Length - at))
            {
                throw Malformed();
            }

            files.Add(new TransferFileContent(id, payload.Slice(at, (int)contentLength).ToArray()));
            at += (int)contentLength;
        }

        return at == payload.Length ? (packageJson, files) : throw Malformed();
    }

    private static TransferFileException Malformed() => new(TransferFileFailure.Malformed, "The export file's contents are not laid out as an export file's are.");
}

using System.Buffers.Binary;
using System.Text.Json;
using Serverless.Files.Storage;
using Serverless.Transfers.Envelope;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>
/// The payload of a <see cref="TransferMessageKind.File"/> message: which package and which of its file references the
/// bytes are, then the bytes as stored at the sender. Binary, not JSON, so a 25 MiB file is not a third larger in base64:
/// <c>"SVTRFPL1"</c>, the header's length (2 bytes, big-endian), the header (JSON: <c>packageMessageId</c>, <c>fileId</c>),
/// then the file's bytes to the end.
/// </summary>
public sealed record TransferFilePayload(string PackageMessageId, string FileId, byte[] Content)
{
    private const int MaxHeaderBytes = 512;
    private static readonly byte[] Magic = "SVTRFPL1"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToBytes()
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(PackageMessageId, FileId), Json);
        var bytes = new byte[Magic.Length + 2 + header.Length + Content.Length];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(Magic.Length, 2), (ushort)header.Length);
        header.CopyTo(bytes, Magic.Length + 2);
        Content.CopyTo(bytes, Magic.Length + 2 + header.Length);
        return bytes;
    }

    /// <summary>The payload, or null when the bytes are not one (ids of the wrong shape included).</summary>
    public static TransferFilePayload? Parse(byte[] payload)
    {
        if (payload.Length < Magic.Length + 2 || !payload.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(Magic.Length, 2));
        if (length > MaxHeaderBytes || payload.Length < Magic.Length + 2 + length)
        {
            return null;
        }

        try
        {
            var header = JsonSerializer.Deserialize<Header>(payload.AsSpan(Magic.Length + 2, length), Json);
            return header is not null && TransferIds.IsMessageId(header.PackageMessageId) && FileIds.IsValid(header.FileId)
                ? new TransferFilePayload(header.PackageMessageId, header.FileId, payload[(Magic.Length + 2 + length)..])
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Header(string PackageMessageId, string FileId);
}

using System.Buffers.Binary;
using System.Text.Json;

namespace Serverless.Backup;

/// <summary>
/// A blob as its encrypted file holds it: a JSON header (container, name, content headers, metadata)
/// after its 4-byte length, then the content as it was.
/// </summary>
internal sealed record StoredBlobHeader(
    string Container,
    string Name,
    string? ContentType,
    string? ContentEncoding,
    string? ContentLanguage,
    string? ContentDisposition,
    string? CacheControl,
    IDictionary<string, string>? Metadata)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Pack(StoredBlobHeader header, ReadOnlySpan<byte> content)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        var packed = new byte[4 + json.Length + content.Length];
        BinaryPrimitives.WriteInt32BigEndian(packed, json.Length);
        json.CopyTo(packed, 4);
        content.CopyTo(packed.AsSpan(4 + json.Length));
        return packed;
    }

    public static (StoredBlobHeader Header, ReadOnlyMemory<byte> Content) Unpack(byte[] packed)
    {
        var length = BinaryPrimitives.ReadInt32BigEndian(packed);
        var header = JsonSerializer.Deserialize<StoredBlobHeader>(packed.AsSpan(4, length), Json)
            ?? throw new BackupFailedException("A blob file holds no header.");
        return (header, packed.AsMemory(4 + length));
    }
}

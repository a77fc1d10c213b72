using System.Text;

namespace Serverless.Files.Png;

/// <summary>
/// Walks a PNG chunk by chunk from the signature to IEND, checking each chunk's CRC as its data streams past. The
/// first 64 KiB of each chunk's data are kept in one buffer (IHDR and eXIf are read from there); the rest is only
/// counted. Anything that does not parse stops the walk with <see cref="Damaged"/> set.
/// </summary>
internal sealed class PngReader(ByteReader reader)
{
    public static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private const int Kept = 64 * 1024;
    private readonly byte[] data = new byte[Kept];
    private readonly byte[] scratch = new byte[8192];
    private bool started;

    public bool Damaged { get; private set; }

    public bool ReachedEnd { get; private set; }

    public long EndOfImage { get; private set; }

    /// <summary>The start of the last chunk's data, at most 64 KiB of it.</summary>
    public ReadOnlySpan<byte> Data => data.AsSpan(0, DataKept);

    public int DataKept { get; private set; }

    public bool TryNext(out PngChunk chunk)
    {
        chunk = default;
        DataKept = 0;
        if (Damaged || ReachedEnd)
        {
            return false;
        }

        if (!started)
        {
            started = true;
            Span<byte> signature = stackalloc byte[8];
            if (!reader.TryRead(signature) || !signature.SequenceEqual(Signature))
            {
                return Fail();
            }
        }

        var offset = reader.Position;
        Span<byte> type = stackalloc byte[4];
        if (!reader.TryReadUInt32BigEndian(out var length) || length > int.MaxValue || !reader.TryRead(type))
        {
            return Fail();
        }

        foreach (var letter in type)
        {
            if (!char.IsAsciiLetter((char)letter))
            {
                return Fail();
            }
        }

        var crc = new Crc32();
        crc.Append(type);
        var remaining = (long)length;
        while (remaining > 0)
        {
            var take = (int)Math.Min(remaining, scratch.Length);
            if (!reader.TryRead(scratch.AsSpan(0, take)))
            {
                return Fail();
            }

            crc.Append(scratch.AsSpan(0, take));
            var keep = Math.Min(take, Kept - DataKept);
            if (keep > 0)
            {
                scratch.AsSpan(0, keep).CopyTo(data.AsSpan(DataKept));
                DataKept += keep;
            }

            remaining -= take;
        }

        if (!reader.TryReadUInt32BigEndian(out var stored) || stored != crc.Value)
        {
            return Fail();
        }

        chunk = new PngChunk(Encoding.ASCII.GetString(type), offset, length);
        if (chunk.Type == "IEND")
        {
            ReachedEnd = true;
            EndOfImage = reader.Position;
        }

        return true;
    }

    private bool Fail()
    {
        Damaged = true;
        return false;
    }
}

namespace Serverless.Files.Ooxml;

/// <summary>
/// A zip part's content as it inflates: counted, CRC'd, its first bytes kept (to spot an archive inside), and cut
/// off one byte past its declared size, so a part that lies about its size costs no more than it declared.
/// </summary>
internal sealed class CheckedEntryStream(Stream inner, long declared) : Stream
{
    private readonly byte[] start = new byte[8];
    private Crc32 crc = new();

    public long Count { get; private set; }

    /// <summary>The part inflates to more than it declared (read stopped there).</summary>
    public bool Exceeded { get; private set; }

    public uint Crc => crc.Value;

    public ReadOnlySpan<byte> Start => start.AsSpan(0, (int)Math.Min(Count, start.Length));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Count;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (Exceeded || buffer.Length == 0)
        {
            return 0;
        }

        // Ask for at most one byte more than declared: enough to know it lied, never more.
        var allowed = (int)Math.Min(buffer.Length, declared + 1 - Count);
        var read = inner.Read(buffer[..allowed]);
        if (Count < start.Length)
        {
            var keep = (int)Math.Min(read, start.Length - Count);
            buffer[..keep].CopyTo(start.AsSpan((int)Count));
        }

        Count += read;
        if (Count > declared)
        {
            Exceeded = true;
            return 0;
        }

        crc.Append(buffer[..read]);
        return read;
    }

    /// <summary>Reads what the consumer left, up to the declared size and one byte.</summary>
    public void Drain(byte[] scratch)
    {
        while (Read(scratch) > 0)
        {
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

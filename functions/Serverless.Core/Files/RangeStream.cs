namespace Serverless.Files;

/// <summary>A read-only window [start, start + length) of a seekable stream that seeks before each read, so the
/// window and a <see cref="ByteReader"/> on the same stream do not disturb each other.</summary>
internal sealed class RangeStream(Stream inner, long start, long length) : Stream
{
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var remaining = length - position;
        if (remaining <= 0 || buffer.Length == 0)
        {
            return 0;
        }

        inner.Position = start + position;
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

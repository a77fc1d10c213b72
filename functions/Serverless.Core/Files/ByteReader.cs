namespace Serverless.Files;

/// <summary>
/// Reads a stream byte by byte through one small buffer, knowing its position: the parsers walk files of up to
/// 100 MB a marker or a chunk at a time without holding more than the buffer. Seeking needs a seekable stream
/// (the validator's temporary file); reading does not (an inflated PDF object stream).
/// </summary>
internal sealed class ByteReader(Stream stream, CancellationToken cancellationToken = default, long limit = long.MaxValue)
{
    private readonly byte[] buffer = new byte[64 * 1024];
    private long bufferStart;
    private int count;
    private int index;

    /// <summary>The offset of the next byte read, from the start of the stream.</summary>
    public long Position => bufferStart + index;

    public long Length => stream.Length;

    /// <summary>True once a read stopped at the limit given at construction: the stream had more.</summary>
    public bool LimitReached { get; private set; }

    public int ReadByte()
    {
        if (index == count && !Fill())
        {
            return -1;
        }

        return buffer[index++];
    }

    public int PeekByte()
    {
        if (index == count && !Fill())
        {
            return -1;
        }

        return buffer[index];
    }

    /// <summary>Reads exactly <paramref name="destination"/>'s length, or false at the end of the stream.</summary>
    public bool TryRead(Span<byte> destination)
    {
        while (destination.Length > 0)
        {
            if (index == count && !Fill())
            {
                return false;
            }

            var take = Math.Min(destination.Length, count - index);
            buffer.AsSpan(index, take).CopyTo(destination);
            index += take;
            destination = destination[take..];
        }

        return true;
    }

    /// <summary>Skips <paramref name="length"/> bytes, or false when the stream ends first.</summary>
    public bool TrySkip(long length)
    {
        if (stream.CanSeek)
        {
            var target = Position + length;
            if (target > stream.Length)
            {
                return false;
            }

            Seek(target);
            return true;
        }

        while (length > 0)
        {
            if (index == count && !Fill())
            {
                return false;
            }

            var take = (int)Math.Min(length, count - index);
            index += take;
            length -= take;
        }

        return true;
    }

    public void Seek(long position)
    {
        if (position >= bufferStart && position <= bufferStart + count)
        {
            index = (int)(position - bufferStart);
            return;
        }

        stream.Position = position;
        bufferStart = position;
        count = 0;
        index = 0;
    }

    public bool TryReadUInt16BigEndian(out int value)
    {
        Span<byte> two = stackalloc byte[2];
        var read = TryRead(two);
        value = (two[0] << 8) | two[1];
        return read;
    }

    public bool TryReadUInt32BigEndian(out uint value)
    {
        Span<byte> four = stackalloc byte[4];
        var read = TryRead(four);
        value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(four);
        return read;
    }

    private bool Fill()
    {
        cancellationToken.ThrowIfCancellationRequested();
        bufferStart += count;
        if (stream.CanSeek && stream.Position != bufferStart)
        {
            stream.Position = bufferStart;
        }

        index = 0;
        count = 0;
        if (bufferStart >= limit)
        {
            LimitReached = stream.Read(buffer, 0, 1) > 0;
            return false;
        }

        count = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - bufferStart));
        return count > 0;
    }
}

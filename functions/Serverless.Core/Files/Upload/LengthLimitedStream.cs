namespace Serverless.Files.Upload;

/// <summary>Thrown when a stream being received grows past its limit.</summary>
public sealed class FileTooLargeException(long limit) : Exception($"The file is longer than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>
/// Passes a forward-only stream through, counting, and throws <see cref="FileTooLargeException"/> as soon as more than
/// the limit has been read: a sender cannot push more than one buffer past the limit into storage, whatever it declared.
/// </summary>
internal sealed class LengthLimitedStream(Stream inner, long limit) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Counted(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Counted(int read)
    {
        BytesRead += read;
        return BytesRead > limit ? throw new FileTooLargeException(limit) : read;
    }
}

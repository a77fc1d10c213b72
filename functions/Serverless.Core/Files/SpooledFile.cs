using System.Security.Cryptography;

namespace Serverless.Files;

/// <summary>
/// A received file copied to a temporary file, hashed and measured on the way, and deleted when disposed. The
/// validator works on this copy rather than on the blob: the parsers need to seek, and what was inspected is then
/// exactly what gets stored, whatever happens to the blob meanwhile. Memory stays at one buffer; the worker's
/// temporary disk holds the file (at most <see cref="FilesOptions.MaxDirectBytes"/>).
/// </summary>
internal sealed class SpooledFile : IAsyncDisposable
{
    private const int BufferSize = 81920;

    private SpooledFile(FileStream content, FileDigest digest)
    {
        Content = content;
        Digest = digest;
    }

    public FileStream Content { get; }

    public FileDigest Digest { get; }

    /// <summary>A new empty temporary file, deleted when closed.</summary>
    public static FileStream CreateTemporary() => new(
        Path.Combine(Path.GetTempPath(), $"serverless-file-{Guid.NewGuid():N}.tmp"),
        FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.DeleteOnClose);

    /// <summary>Copies <paramref name="source"/> to a temporary file; null (with the bytes read) as soon as it is
    /// more than <paramref name="limit"/> bytes long: at most one byte past the limit is read.</summary>
    public static async Task<(SpooledFile? File, long BytesRead)> ReceiveAsync(Stream source, long limit, CancellationToken cancellationToken)
    {
        var file = CreateTemporary();
        try
        {
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[BufferSize];
            var total = 0L;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, limit + 1 - total)), cancellationToken)) > 0)
            {
                total += read;
                if (total > limit)
                {
                    await file.DisposeAsync();
                    return (null, total);
                }

                sha.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            await file.FlushAsync(cancellationToken);
            file.Position = 0;
            return (new SpooledFile(file, new FileDigest(total, Convert.ToHexStringLower(sha.GetHashAndReset()))), total);
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    /// <summary>Copies <paramref name="source"/> from its start to <paramref name="destination"/>, hashing what is written.</summary>
    public static async Task<FileDigest> CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        var total = 0L;
        source.Position = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            total += read;
        }

        await destination.FlushAsync(cancellationToken);
        return new FileDigest(total, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

namespace Serverless.Files.Direct;

/// <summary><c>POST .../files/direct</c>: the file's original name and its exact length in bytes.</summary>
public sealed record DirectUploadRequest
{
    public string? Name { get; init; }

    public long? Size { get; init; }
}

/// <summary>
/// Where to upload a file directly, and how. <paramref name="UploadUrl"/>: a user delegation SAS URL for this one blob
/// (Create and Write, HTTPS, until <paramref name="ExpiresAt"/>); it cannot read the blob or list its blocks.
/// <paramref name="BlockSize"/>: the size of each block to send (the last one shorter); <paramref name="MaxBlocks"/>: how
/// many blocks of that size the declared size takes.
/// </summary>
public sealed record DirectUploadAddress(string FileId, string UploadUrl, DateTimeOffset ExpiresAt, int BlockSize, int MaxBlocks);

/// <summary>One block of an upload in progress: its id (base64, as the client named it) and its length.</summary>
public sealed record UploadBlock(string Id, long Size);

/// <summary>What storage holds of a direct upload in progress: the committed block list (empty until Put Block List)
/// and the blocks staged but not committed, so a client that lost its place sends only what is missing.</summary>
public sealed record UploadBlocks(string FileId, long DeclaredSize, IReadOnlyList<UploadBlock> Committed, IReadOnlyList<UploadBlock> Uncommitted);

namespace Serverless.Files.Upload;

/// <summary>An upload's body as the HTTP layer read its framing: the file's stream with its name and declared length,
/// or unreadable (the HTTP layer holds the problem, said only once the case is known reachable).</summary>
public abstract record UploadBody
{
    /// <param name="Name">The original file name as sent (sanitised by the service), or null when none was sent.</param>
    /// <param name="DeclaredLength">The file's length as the sender declared it (Content-Length of a raw body), if known.</param>
    /// <param name="Content">The file's bytes, read once, forward only.</param>
    public sealed record Readable(string? Name, long? DeclaredLength, Stream Content) : UploadBody;

    public sealed record Unreadable : UploadBody;

    /// <summary>The request declares a body longer than any file this route takes (refused before a byte is read).</summary>
    public sealed record DeclaredTooLarge : UploadBody;
}

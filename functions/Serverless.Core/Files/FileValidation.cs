namespace Serverless.Files;

/// <summary>What validating a received file came to.</summary>
public abstract record FileValidation
{
    /// <summary>Stored: <paramref name="Stored"/> is what was written to the destination (for a photo, the cleaned
    /// copy; otherwise the same bytes as <paramref name="Received"/>); <paramref name="Removed"/> names what cleaning
    /// took out (<see cref="PhotoMetadata"/>), empty for other kinds.</summary>
    public sealed record Accepted(FileType Type, FileDigest Received, FileDigest Stored, IReadOnlyList<string> Removed) : FileValidation;

    /// <summary>Refused; nothing was written to the destination. <paramref name="Received"/> is null when the file
    /// was refused for its size before it was all read.</summary>
    public sealed record Rejected(FileRejection Rejection, FileDigest? Received) : FileValidation;
}

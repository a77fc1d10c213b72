namespace Serverless.Files.Storage;

/// <summary>Who uploaded a file: a person, or an agency form's submission key (by id), and their agency.</summary>
public sealed record FileUploader(string Kind, string Id, string AgencyId);

/// <summary>What validation decided for an accepted file: its type, both digests and what cleaning removed.</summary>
public sealed record FileValidated(FileType Type, FileDigest Received, FileDigest Stored, IReadOnlyList<string> Removed, bool Thumbnail, DateTimeOffset At);

/// <summary>
/// One file of a case as its table row holds it. <see cref="Name"/> is the sanitised original name: entry content
/// (it may name the child), never logged, never in a blob name, tag or URL. <see cref="EntryId"/>: the entry it is
/// attached to, which decides who sees it; null until attached (then its uploader's agency and coordinators only).
/// </summary>
public sealed record StoredFile(
    string CaseId,
    string FileId,
    FileState State,
    UploadRoute Route,
    DateTimeOffset UploadedAt,
    FileUploader Uploader,
    string Name,
    long? DeclaredLength)
{
    public string? EntryId { get; init; }

    public DateTimeOffset? AttachedAt { get; init; }

    /// <summary>How many bytes reached quarantine (set when the upload is complete).</summary>
    public long? ReceivedLength { get; init; }

    public FileValidated? Validated { get; init; }

    public FileRejection? Rejection { get; init; }

    public DateTimeOffset? RejectedAt { get; init; }

    /// <summary>For a direct upload: until when its upload address is valid.</summary>
    public DateTimeOffset? UploadExpiresAt { get; init; }

    public Azure.ETag ETag { get; init; }
}

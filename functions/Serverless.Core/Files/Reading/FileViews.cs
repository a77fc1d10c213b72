using Serverless.Entries;
using Serverless.Files.Storage;

namespace Serverless.Files.Reading;

public sealed record FileDigestsView(string Received, string Stored);

/// <summary>Why a file was refused: a stable <see cref="FileRejections"/> key and a message its uploader can act on.</summary>
public sealed record FileRejectionView(string Reason, string Message);

/// <summary>
/// One file as a person who may see it reads it. <paramref name="ContentType"/>, <paramref name="Size"/> and
/// <paramref name="Sha256"/> are the stored file's, decided by validation (never what the uploader declared), set once
/// <paramref name="State"/> is ready; <paramref name="ReceivedSize"/> and the received digest are of the file as it
/// arrived (a photo's differ: its metadata was removed, listed in <paramref name="RemovedMetadata"/>).
/// <paramref name="DownloadName"/>: the name a download gets (the original one, with the extension of what it is).
/// </summary>
public sealed record FileView(
    string FileId,
    FileState State,
    string Name,
    DateTimeOffset UploadedAt,
    EntryAuthorView UploadedBy,
    string? EntryId,
    string? ContentType,
    long? Size,
    long? ReceivedSize,
    FileDigestsView? Sha256,
    IReadOnlyList<string>? RemovedMetadata,
    bool? Thumbnail,
    string? DownloadName,
    FileRejectionView? Rejection);

/// <summary>What an agency form's key gets for a file it sent: its id, state, time and, if refused, why; nothing of the case.</summary>
public sealed record FileReceipt(string FileId, FileState State, DateTimeOffset ReceivedAt, FileRejectionView? Rejection);

/// <summary>The files of a case the caller may see, oldest first.</summary>
public sealed record FileList(string CaseId, IReadOnlyList<FileView> Files);

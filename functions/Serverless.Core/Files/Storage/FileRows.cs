using System.Text.Json;
using Serverless.Entries;

namespace Serverless.Files.Storage;

/// <summary>Maps <see cref="StoredFile"/> to its row and back.</summary>
internal static class FileRows
{
    public static FileEntity Row(StoredFile file) => new()
    {
        PartitionKey = file.CaseId,
        RowKey = FileEntity.Row(file.FileId),
        FileId = file.FileId,
        State = EntryRows.Name(file.State),
        Route = EntryRows.Name(file.Route),
        UploadedAt = file.UploadedAt,
        UploaderKind = file.Uploader.Kind,
        UploaderId = file.Uploader.Id,
        UploaderAgencyId = file.Uploader.AgencyId,
        Name = file.Name,
        DeclaredLength = file.DeclaredLength,
        ReceivedLength = file.ReceivedLength,
        EntryId = file.EntryId,
        AttachedAt = file.AttachedAt,
        Kind = file.Validated is { } validated ? EntryRows.Name(validated.Type.Kind) : null,
        ReceivedSha256 = file.Validated?.Received.Sha256,
        ReceivedBytes = file.Validated?.Received.Length,
        StoredSha256 = file.Validated?.Stored.Sha256,
        StoredBytes = file.Validated?.Stored.Length,
        Removed = file.Validated is { Removed.Count: > 0 } cleaned ? string.Join(',', cleaned.Removed) : null,
        Thumbnail = file.Validated?.Thumbnail,
        ValidatedAt = file.Validated?.At,
        RejectionReason = file.Rejection?.Reason,
        RejectionArguments = file.Rejection?.Arguments is { Count: > 0 } arguments ? JsonSerializer.Serialize(arguments) : null,
        RejectedAt = file.RejectedAt,
        UploadExpiresAt = file.UploadExpiresAt,
        ETag = file.ETag,
    };

    public static StoredFile From(FileEntity row) => new(
        row.PartitionKey,
        row.FileId,
        EntryRows.Parse<FileState>(row.State),
        EntryRows.Parse<UploadRoute>(row.Route),
        row.UploadedAt,
        new FileUploader(row.UploaderKind, row.UploaderId, row.UploaderAgencyId),
        row.Name,
        row.DeclaredLength)
    {
        EntryId = row.EntryId,
        AttachedAt = row.AttachedAt,
        ReceivedLength = row.ReceivedLength,
        Validated = row.Kind is { } kind
            ? new FileValidated(
                FileType.Of(EntryRows.Parse<FileKind>(kind)),
                new FileDigest(row.ReceivedBytes ?? 0, row.ReceivedSha256 ?? ""),
                new FileDigest(row.StoredBytes ?? 0, row.StoredSha256 ?? ""),
                row.Removed is { Length: > 0 } removed ? removed.Split(',') : [],
                row.Thumbnail == true,
                row.ValidatedAt ?? row.UploadedAt)
            : null,
        Rejection = row.RejectionReason is { } reason
            ? new FileRejection(reason, row.RejectionArguments is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) : null)
            : null,
        RejectedAt = row.RejectedAt,
        UploadExpiresAt = row.UploadExpiresAt,
        ETag = row.ETag,
    };
}

namespace Serverless.Files.Storage;

/// <summary>
/// Where a file's bytes live. Names are ids only (<c>cases/{caseId}/{fileId}</c>), under the prefix the eraser and
/// the backup already walk, in two containers: <see cref="Quarantine"/> (as received, never served) and
/// <see cref="Files"/> (validated; what downloads read). Nothing else is set on a blob: no metadata, no tags.
/// </summary>
public static class FileBlobs
{
    public const string Quarantine = "quarantine";
    public const string Files = "files";

    public static string Name(string caseId, string fileId) => Cases.Disposal.CaseEraser.BlobPrefix + caseId + "/" + fileId;

    /// <summary>A photo's small JPEG preview, beside the photo in <see cref="Files"/>.</summary>
    public static string ThumbnailName(string caseId, string fileId) => Name(caseId, fileId) + "-thumbnail";
}

using System.ComponentModel.DataAnnotations;

namespace Serverless.Files;

/// <summary>
/// <c>Files:*</c>. How large a file may be: through the app's functions (the body passes through the worker) and
/// uploaded directly to storage (the worker reads it back from there, streaming). Validation spools the file to a
/// temporary file of at most this size, so the worker's disk, not its memory, holds it.
/// </summary>
public sealed class FilesOptions : IValidatableObject
{
    public const string Section = "Files";

    public const long Megabyte = 1024 * 1024;

    /// <summary>The largest file sent through an HTTP function (25 MB by default).</summary>
    [Range(1, long.MaxValue)]
    public long MaxFunctionPathBytes { get; set; } = 25 * Megabyte;

    /// <summary>The largest file uploaded directly to storage (100 MB by default).</summary>
    [Range(1, long.MaxValue)]
    public long MaxDirectBytes { get; set; } = 100 * Megabyte;

    /// <summary>How long a direct upload's address (a user delegation SAS) lets its holder write (15 minutes by
    /// default, at most 60). A slow uplink asks for a fresh one; the upload itself may take up to a day.</summary>
    [Range(1, 60)]
    public int DirectUploadMinutes { get; set; } = 15;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxFunctionPathBytes > MaxDirectBytes)
        {
            yield return new ValidationResult("Files:MaxFunctionPathBytes must not be more than Files:MaxDirectBytes.", [nameof(MaxFunctionPathBytes)]);
        }

        // Past 2 GiB a temporary file, a blob block list and the worker's disk all need thought no test here has given.
        if (MaxDirectBytes > 2048 * Megabyte)
        {
            yield return new ValidationResult("Files:MaxDirectBytes must be at most 2 GiB (2147483648).", [nameof(MaxDirectBytes)]);
        }
    }
}

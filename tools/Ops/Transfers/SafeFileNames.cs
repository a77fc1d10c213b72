using Serverless.Files;

namespace Serverless.Ops.Transfers;

/// <summary>
/// Names to save a transfer file's files under, in one folder: the sender's name made safe as uploads' names are
/// (<see cref="FileNames.Sanitise"/>: no path, no <c>..</c>, no control or bidi characters, NFC, Japanese kept), the
/// file id when nothing is left, and <c> (2)</c>, <c> (3)</c>… before the extension when a name is taken (compared
/// ignoring case, as Windows and macOS do).
/// </summary>
internal sealed class SafeFileNames
{
    private readonly HashSet<string> taken = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> fileIds = new(StringComparer.Ordinal);

    public int Count => fileIds.Count;

    /// <summary>The name for <paramref name="fileId"/>, or null when that file already has one.</summary>
    public string? Next(string name, string fileId)
    {
        if (!fileIds.Add(fileId))
        {
            return null;
        }

        var safe = FileNames.Sanitise(name) is SanitisedFileName.Valid valid ? valid.Name
            : FileNames.Sanitise(fileId) is SanitisedFileName.Valid id ? id.Name
            : "file";
        var extension = Path.GetExtension(safe);
        var stem = safe[..^extension.Length];
        var candidate = safe;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{stem} ({n}){extension}";
        }

        return candidate;
    }
}

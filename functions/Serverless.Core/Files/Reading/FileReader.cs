using Azure;
using Azure.Storage.Blobs.Models;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Files.Storage;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Storage;

namespace Serverless.Files.Reading;

/// <summary>A byte range asked for: <c>bytes=From-To</c>, <c>bytes=From-</c> (To null) or the last <c>SuffixLength</c> bytes.
/// <see cref="IfRange"/>: the tag the caller's earlier copy had; any other than the file's sends the whole file.</summary>
public sealed record ByteRangeRequest(long? From, long? To, long? SuffixLength)
{
    public string? IfRange { get; init; }
}

/// <summary>A file's bytes to send: the stream (the whole file, or <paramref name="Range"/> of it), what it is served
/// as (decided by validation), the name a download gets, and its full length.</summary>
public sealed record FileContent(Stream Content, string ContentType, string DownloadName, long Length, (long From, long To)? Range, string Sha256) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>
/// Reads the files of a case for those who may see them (<see cref="FileVisibility"/>, after the case gate): one
/// file's state, the list, the content (streamed from storage in one request, a byte range of it when asked) and a
/// photo's thumbnail. A file the caller may not see answers like a missing one. A form's key reads only the state of a
/// file it sent itself.
/// </summary>
public sealed class FileReader(CaseGate gate, CaseFiles files, EntryStore entries, StorageClients clients, StorageNames names)
{
    public async Task<CaseOutcome<FileAccessed>> GetAsync(Caller caller, string caseId, string fileId, CancellationToken cancellationToken)
    {
        if (caller.Kind == CallerKind.SubmissionKey)
        {
            // A form may learn what became of what it sent (its receipt), nothing else: the gate lets it in only to a
            // case its agency takes part in today, as for sending.
            var opened = await gate.OpenAsync(caller, caseId, CaseNeed.AddEntry, cancellationToken);
            if (opened is not CaseOutcome<OpenCase>.Done)
            {
                return opened.As<FileAccessed>();
            }

            var own = await files.GetAsync(caseId, fileId, cancellationToken);
            return own is not null && own.Uploader.Kind == EntryAuthor.Key && own.Uploader.Id == caller.Id
                ? new CaseOutcome<FileAccessed>.Done(new FileAccessed(own, null))
                : Hidden<FileAccessed>(caller, own is not null);
        }

        var found = await FindAsync(caller, caseId, fileId, cancellationToken);
        if (found is CaseOutcome<FileAccessed>.Done)
        {
            caller.Audit.TouchedEntries([fileId]);
        }

        return found;
    }

    public async Task<CaseOutcome<FileList>> ListAsync(Caller caller, string caseId, ProblemLanguage language, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Read, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<FileList>();
        }

        var all = await files.ListAsync(caseId, cancellationToken);
        var entryCache = new Dictionary<string, StoredEntry?>(StringComparer.Ordinal);
        var seen = new List<FileView>();
        foreach (var file in all)
        {
            var entry = file.EntryId is { } entryId ? await LatestAsync(caseId, entryId, entryCache, cancellationToken) : null;
            if (FileVisibility.Sees(caller, open, file, entry))
            {
                seen.Add(FileVisibility.View(caller, file, language));
            }
        }

        caller.Audit.TouchedEntries(seen.Select(file => file.FileId));
        return new CaseOutcome<FileList>.Done(new FileList(caseId, seen));
    }

    /// <summary>The content of a ready file (or <paramref name="range"/> of it); the caller disposes it.</summary>
    public async Task<CaseOutcome<FileContent>> OpenContentAsync(Caller caller, string caseId, string fileId, ByteRangeRequest? range, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, caseId, fileId, cancellationToken);
        if (found is not CaseOutcome<FileAccessed>.Done { Value: var accessed })
        {
            return found.As<FileContent>();
        }

        var file = accessed.File;
        if (accessed.Entry?.Redaction is not null)
        {
            return new CaseOutcome<FileContent>.Refused(ProblemCatalogue.EntryRedacted);
        }

        if (file.State != FileState.Ready || file.Validated is not { } validated)
        {
            return new CaseOutcome<FileContent>.Refused(ProblemCatalogue.FileNotReady);
        }

        var length = validated.Stored.Length;
        (long From, long To)? span = null;
        if (range is not null && (range.IfRange is null || range.IfRange == "\"" + validated.Stored.Sha256 + "\""))
        {
            span = Resolve(range, length);
            if (span is null)
            {
                return new CaseOutcome<FileContent>.Refused(ProblemCatalogue.RangeNotSatisfiable, Arguments: new Dictionary<string, string> { ["length"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
        }

        var blob = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Files)).GetBlobClient(FileBlobs.Name(caseId, fileId));
        var options = new BlobDownloadOptions { Range = span is { } r ? new HttpRange(r.From, r.To - r.From + 1) : default };
        var download = await blob.DownloadStreamingAsync(options, cancellationToken);
        caller.Audit.TouchedEntries([fileId]);
        return new CaseOutcome<FileContent>.Done(new FileContent(download.Value.Content, validated.Type.ContentType, FileNames.ForDownload(file.Name, validated.Type), length, span, validated.Stored.Sha256));
    }

    /// <summary>A photo's thumbnail (a small JPEG without metadata), when it has one.</summary>
    public async Task<CaseOutcome<FileContent>> OpenThumbnailAsync(Caller caller, string caseId, string fileId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, caseId, fileId, cancellationToken);
        if (found is not CaseOutcome<FileAccessed>.Done { Value: var accessed })
        {
            return found.As<FileContent>();
        }

        if (accessed.Entry?.Redaction is not null)
        {
            return new CaseOutcome<FileContent>.Refused(ProblemCatalogue.EntryRedacted);
        }

        if (accessed.File.State != FileState.Ready || accessed.File.Validated is not { Thumbnail: true } validated)
        {
            return new CaseOutcome<FileContent>.Refused(ProblemCatalogue.FileNotReady);
        }

        var blob = clients.Blobs.GetBlobContainerClient(names.Container(FileBlobs.Files)).GetBlobClient(FileBlobs.ThumbnailName(caseId, fileId));
        var download = await blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
        caller.Audit.TouchedEntries([fileId]);
        var name = Path.GetFileNameWithoutExtension(FileNames.ForDownload(accessed.File.Name, validated.Type)) + "-thumbnail.jpg";
        return new CaseOutcome<FileContent>.Done(new FileContent(download.Value.Content, FileType.Jpeg.ContentType, name, download.Value.Details.ContentLength, null, ""));
    }

    /// <summary>The file and its entry (newest version) if the caller may see it; otherwise 404, hidden for the audit.</summary>
    internal async Task<CaseOutcome<FileAccessed>> FindAsync(Caller caller, string caseId, string fileId, CancellationToken cancellationToken, CaseNeed need = CaseNeed.Read)
    {
        var gated = await gate.OpenAsync(caller, caseId, need, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<FileAccessed>();
        }

        if (caller.Kind == CallerKind.SubmissionKey)
        {
            return new CaseOutcome<FileAccessed>.NotFound(); // a form reads nothing of a case
        }

        var file = await files.GetAsync(caseId, fileId, cancellationToken);
        if (file is null)
        {
            return new CaseOutcome<FileAccessed>.NotFound();
        }

        var entry = file.EntryId is { } entryId ? await LatestAsync(caseId, entryId, null, cancellationToken) : null;
        return FileVisibility.Sees(caller, open, file, entry)
            ? new CaseOutcome<FileAccessed>.Done(new FileAccessed(file, entry) { Open = open })
            : Hidden<FileAccessed>(caller, exists: true);
    }

    private async Task<StoredEntry?> LatestAsync(string caseId, string entryId, Dictionary<string, StoredEntry?>? cache, CancellationToken cancellationToken)
    {
        if (cache is not null && cache.TryGetValue(entryId, out var known))
        {
            return known;
        }

        var versions = await entries.VersionsAsync(caseId, entryId, cancellationToken);
        var latest = versions.Count > 0 ? versions[^1] : null;
        if (cache is not null)
        {
            cache[entryId] = latest;
        }

        return latest;
    }

    /// <summary>The inclusive span of a satisfiable range, or null (RFC 9110 §14.1.2).</summary>
    internal static (long From, long To)? Resolve(ByteRangeRequest range, long length)
    {
        if (length == 0)
        {
            return null;
        }

        if (range.SuffixLength is { } suffix)
        {
            return suffix <= 0 ? null : (Math.Max(0, length - suffix), length - 1);
        }

        if (range.From is not { } from || from >= length || (range.To is { } to && to < from))
        {
            return null;
        }

        return (from, Math.Min(range.To ?? length - 1, length - 1));
    }

    private static CaseOutcome<T> Hidden<T>(Caller caller, bool exists)
    {
        if (exists)
        {
            caller.Audit.MarkHidden(); // the audit alone is told the file exists
        }

        return new CaseOutcome<T>.NotFound(Hidden: exists);
    }
}

/// <summary>A file the caller may see, with the newest version of the entry it is attached to (null when none).</summary>
public sealed record FileAccessed(StoredFile File, StoredEntry? Entry)
{
    public OpenCase? Open { get; init; }
}

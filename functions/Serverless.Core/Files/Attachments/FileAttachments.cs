using System.Globalization;
using Azure.Data.Tables;
using Serverless.Entries;
using Serverless.Files.Storage;
using Serverless.Identity;
using Serverless.Validation;

namespace Serverless.Files.Attachments;

/// <summary>Files checked for attaching to a new entry: the rows as read, and the batch actions that attach them.</summary>
public sealed record FilesToAttach(IReadOnlyList<StoredFile> Files, IReadOnlyList<TableTransactionAction> Actions)
{
    public static readonly FilesToAttach None = new([], []);

    public IReadOnlyList<string> FileIds => [.. Files.Select(file => file.FileId)];
}

/// <summary>
/// Attaching files to an entry, when the report or comment is written: each file must be of the case, sent by the
/// caller's agency (by the same form, for a form's key), not refused and not attached yet. The attachment goes into the
/// entry's own batch (the file rows are in the case's partition too), so an entry and its files are stored together or
/// not at all, and from then on the entry decides who sees them.
/// </summary>
public sealed class FileAttachments(CaseFiles files)
{
    /// <summary>At most this many files on one entry.</summary>
    public const int MaxPerEntry = 10;

    /// <summary>Checks <paramref name="fileIds"/> (null: none), adding errors under <paramref name="field"/>.</summary>
    public async Task<FilesToAttach> PrepareAsync(Caller caller, string caseId, IReadOnlyList<string>? fileIds, string entryId, DateTimeOffset at, ValidationErrors errors, string field, CancellationToken cancellationToken)
    {
        if (fileIds is not { Count: > 0 })
        {
            return FilesToAttach.None;
        }

        if (fileIds.Count > MaxPerEntry)
        {
            errors.Add(field, FieldRules.TooMany, new Dictionary<string, string> { ["max"] = MaxPerEntry.ToString(CultureInfo.InvariantCulture) });
            return FilesToAttach.None;
        }

        var found = await Task.WhenAll(fileIds.Select(id => FileIds.IsValid(id) ? files.GetAsync(caseId, id, cancellationToken) : Task.FromResult<StoredFile?>(null)));
        var attach = new List<StoredFile>();
        for (var i = 0; i < fileIds.Count; i++)
        {
            var item = $"{field}[{i}]";
            var rule = Refusal(caller, fileIds, i, found[i]);
            if (rule is not null)
            {
                errors.Add(item, rule);
            }
            else
            {
                attach.Add(found[i]!);
            }
        }

        return errors.Any ? FilesToAttach.None : new FilesToAttach(attach, [.. attach.Select(file => CaseFiles.Attach(file, entryId, at))]);
    }

    /// <summary>Why the caller may not attach this file, or null. A file of another agency reads as missing.</summary>
    public static string? Refusal(Caller caller, IReadOnlyList<string> fileIds, int index, StoredFile? file)
    {
        if (fileIds.Take(index).Contains(fileIds[index], StringComparer.Ordinal))
        {
            return FieldRules.Duplicate;
        }

        if (file is null || file.Uploader.AgencyId != caller.AgencyId)
        {
            return FieldRules.FileNotFound; // another agency's unattached file is not the caller's to know of
        }

        if (caller.Kind == CallerKind.SubmissionKey ? file.Uploader.Id != caller.Id : file.Uploader.Kind != EntryAuthor.Person)
        {
            return FieldRules.FileNotOwn;
        }

        return file.EntryId is not null ? FieldRules.FileAlreadyAttached
            : file.State == FileState.Rejected ? FieldRules.FileRejected
            : null;
    }

    /// <summary>Once the entry is stored: its files no longer wait for the sweep. Best effort (the sweep skips attached files).</summary>
    public async Task ReleaseAsync(FilesToAttach attached)
    {
        foreach (var file in attached.Files)
        {
            try
            {
                await files.ReleaseAsync(file, CancellationToken.None);
            }
            catch (Exception)
            {
                // the sweep drops the pointer of an attached file
            }
        }
    }
}

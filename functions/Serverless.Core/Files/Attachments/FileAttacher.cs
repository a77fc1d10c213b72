using Serverless.Cases;
using Serverless.Entries;
using Serverless.Files.Reading;
using Serverless.Files.Storage;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Validation;

namespace Serverless.Files.Attachments;

/// <summary><c>POST .../files/{fileId}/attach</c>: the entry to attach the file to.</summary>
public sealed record AttachRequest
{
    public string? EntryId { get; init; }
}

/// <summary>
/// Attaches an uploaded file to an entry written earlier, by a person of the agency that wrote the entry and sent the
/// file. From then on the entry decides who sees the file, so a file never becomes visible to more people than its
/// uploader chose by picking the entry. The file row, the entry's head and its newest version change in one batch.
/// </summary>
public sealed class FileAttacher(CaseGate gate, FileReader reader, EntryStore entries, FileAttachments attachments, TimeProvider clock)
{
    public async Task<CaseOutcome<FileView>> AttachAsync(Caller caller, string caseId, string fileId, AttachRequest? request, ProblemLanguage language, CancellationToken cancellationToken)
    {
        if (caller.Kind == CallerKind.SubmissionKey)
        {
            // A form attaches its files when it sends its report; it learns nothing more of a case it may not reach.
            var gated = await gate.OpenAsync(caller, caseId, CaseNeed.AddEntry, cancellationToken);
            return gated is CaseOutcome<OpenCase>.Done ? new CaseOutcome<FileView>.Forbidden() : gated.As<FileView>();
        }

        var found = await reader.FindAsync(caller, caseId, fileId, cancellationToken, CaseNeed.AddEntry);
        if (found is not CaseOutcome<FileAccessed>.Done { Value: var accessed })
        {
            return found.As<FileView>();
        }

        var (file, open) = (accessed.File, accessed.Open!);

        if (request is null)
        {
            return new CaseOutcome<FileView>.Unreadable();
        }

        var errors = new ValidationErrors();
        if (string.IsNullOrEmpty(request.EntryId))
        {
            errors.Add("$.entryId", FieldRules.Required);
            return new CaseOutcome<FileView>.Invalid(errors.All);
        }

        var versions = EntryIds.IsValid(request.EntryId) && request.EntryId[0] is 'r' or 'm' ? await entries.VersionsAsync(caseId, request.EntryId, cancellationToken) : [];
        var latest = versions.Count > 0 ? versions[^1] : null;
        if (latest is null || !EntryVisibility.Sees(caller, open, latest))
        {
            errors.Add("$.entryId", FieldRules.InvalidId);
            return new CaseOutcome<FileView>.Invalid(errors.All);
        }

        if (latest.Author.AgencyId != caller.AgencyId)
        {
            return new CaseOutcome<FileView>.Forbidden(); // only the agency that wrote the entry adds to it
        }

        if (latest.Redaction is not null)
        {
            return new CaseOutcome<FileView>.Refused(ProblemCatalogue.EntryRedacted);
        }

        if (file.EntryId is not null)
        {
            return new CaseOutcome<FileView>.Refused(ProblemCatalogue.FileAlreadyAttached);
        }

        if (FileAttachments.Refusal(caller, [fileId], 0, file) is { } rule)
        {
            errors.Add("$", rule);
        }
        else if ((latest.FileIds?.Count ?? 0) >= FileAttachments.MaxPerEntry)
        {
            errors.Add("$.entryId", FieldRules.TooMany, new Dictionary<string, string> { ["max"] = FileAttachments.MaxPerEntry.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (errors.Any)
        {
            return new CaseOutcome<FileView>.Invalid(errors.All);
        }

        var head = await entries.HeadAsync(caseId, latest.TimelineRow!, cancellationToken);
        var now = clock.GetUtcNow();
        if (head is null || !await entries.AttachFilesAsync(head, latest, [fileId], [CaseFiles.Attach(file, latest.EntryId, now)], cancellationToken))
        {
            return new CaseOutcome<FileView>.Refused(ProblemCatalogue.Conflict);
        }

        var attached = file with { EntryId = latest.EntryId, AttachedAt = now };
        await attachments.ReleaseAsync(new FilesToAttach([attached], []));
        caller.Audit.TouchedEntries([fileId, latest.EntryId]);
        return new CaseOutcome<FileView>.Done(FileVisibility.View(caller, attached, language));
    }
}

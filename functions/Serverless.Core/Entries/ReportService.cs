using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Idempotency;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Validation;

namespace Serverless.Entries;

/// <summary>
/// Reports (状況報告): submitted by a coordinator, a named member of an agency on the case, or the submission key
/// of an agency on the case that day (which gets the receipt and never sees the case); corrected by the
/// author's agency as new versions; read with every version by whoever may see the entry.
/// </summary>
public sealed class ReportService(CaseGate gate, EntryStore entries, EntryWriter writer, Files.Attachments.FileAttachments attachments, TimeProvider clock, ILogger<ReportService> logger)
{
    /// <param name="request">Null when the body could not be read (reported after the case was found reachable).</param>
    /// <param name="collection">The reports' URL (<c>/api/cases/{caseId}/reports</c>): the new one's is under it.</param>
    public async Task<CaseOutcome<EntryAdded>> SubmitAsync(Caller caller, string caseId, ReportRequest? request, IdempotencyKey? key, string collection, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.AddEntry, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<EntryAdded>();
        }

        if (request is null)
        {
            return new CaseOutcome<EntryAdded>.Unreadable();
        }

        if (await writer.ReplayAsync(caseId, key, cancellationToken) is { } replayed)
        {
            return replayed;
        }

        var now = clock.GetUtcNow();
        var errors = EntryValidator.Report(request, caller, open.Record, now, "$", out var observedAt);
        var entryId = EntryIds.NewReport();
        var fileErrors = new ValidationErrors();
        var files = await attachments.PrepareAsync(caller, caseId, request.Files, entryId, now, fileErrors, "$.files", cancellationToken);
        if (errors.Count > 0 || fileErrors.Any)
        {
            return new CaseOutcome<EntryAdded>.Invalid([.. errors, .. fileErrors.All]);
        }

        var entry = new StoredEntry(
            caseId,
            entryId,
            EntryType.Report,
            now,
            observedAt,
            Author(caller, request.SubmittedBy),
            request.Scope!.ToScope(),
            Version: 1,
            request.Narrative,
            new ReportDetails(request.Kind!.Value, request.Urgency, request.Absence, request.Injury),
            Comment: null,
            CaseChange: null,
            Redaction: null)
        {
            VersionAt = now,
            VersionBy = caller.Id,
            FileIds = files.Files.Count > 0 ? files.FileIds : null,
        };
        return await writer.AddAsync(caller, entry, key, collection + "/" + entry.EntryId, cancellationToken, files);
    }

    /// <summary>A report with every version, oldest first, if the caller may see it.</summary>
    public async Task<CaseOutcome<ReportView>> GetAsync(Caller caller, string caseId, string reportId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, caseId, reportId, CaseNeed.Read, cancellationToken);
        if (found is not CaseOutcome<FoundReport>.Done { Value: var report })
        {
            return found.As<ReportView>();
        }

        caller.Audit.TouchedEntries([reportId]);
        return new CaseOutcome<ReportView>.Done(View(caller, report));
    }

    /// <summary>A new version of a report, by its author's agency, with a reason. The timeline shows the newest,
    /// marked corrected; the earlier ones stay readable to whoever may see the report.</summary>
    public async Task<CaseOutcome<ReportView>> CorrectAsync(Caller caller, string caseId, string reportId, CorrectionRequest? request, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, caseId, reportId, CaseNeed.AddEntry, cancellationToken);
        if (found is not CaseOutcome<FoundReport>.Done { Value: var report })
        {
            return found.As<ReportView>();
        }

        if (report.Head.Author.AgencyId != caller.AgencyId)
        {
            return new CaseOutcome<ReportView>.Forbidden(); // only the agency that wrote it corrects it
        }

        if (report.Head.Redaction is not null)
        {
            return new CaseOutcome<ReportView>.Refused(ProblemCatalogue.EntryRedacted);
        }

        if (request is null)
        {
            return new CaseOutcome<ReportView>.Unreadable();
        }

        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        EntryValidator.Reason(errors, "$.reason", request.Reason);
        DateTimeOffset observedAt = default;
        var reportErrors = request.Report is null
            ? [new ValidationError("$.report", FieldRules.Required)]
            : EntryValidator.Report(request.Report, caller, report.Open.Record, now, "$.report", out observedAt);
        if (request.Report?.Files is { Count: > 0 })
        {
            errors.Add("$.report.files", FieldRules.FilesNotHere);
        }

        if (report.Versions.Count >= EntryLimits.Versions)
        {
            errors.Add("$", FieldRules.TooMany, new Dictionary<string, string> { ["max"] = EntryLimits.Versions.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }

        if (errors.Any || reportErrors.Count > 0)
        {
            return new CaseOutcome<ReportView>.Invalid([.. errors.All, .. reportErrors]);
        }

        var head = report.Head;
        var corrected = request.Report!;
        var next = head with
        {
            ObservedAt = observedAt,
            Scope = corrected.Scope!.ToScope(),
            Version = head.Version + 1,
            Text = corrected.Narrative,
            Report = new ReportDetails(corrected.Kind!.Value, corrected.Urgency, corrected.Absence, corrected.Injury),
            VersionReason = request.Reason!.Trim(),
            VersionAt = now,
            VersionBy = caller.Id,
        };
        if (!await entries.CorrectAsync(head, next, cancellationToken))
        {
            return new CaseOutcome<ReportView>.Refused(ProblemCatalogue.Conflict);
        }

        logger.LogInformation("Report {EntryId} of case {CaseId} corrected to version {Version} by {CallerId}", reportId, caseId, next.Version, caller.Id);
        caller.Audit.TouchedEntries([reportId]);
        return new CaseOutcome<ReportView>.Done(View(caller, report with { Head = next, Versions = [.. report.Versions, next] }));
    }

    private async Task<CaseOutcome<FoundReport>> FindAsync(Caller caller, string caseId, string reportId, CaseNeed need, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, need, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<FoundReport>();
        }

        if (caller.Kind == CallerKind.SubmissionKey)
        {
            return new CaseOutcome<FoundReport>.Forbidden(); // a form submits; it never reads or corrects
        }

        var versions = EntryIds.IsReport(reportId) ? await entries.VersionsAsync(caseId, reportId, cancellationToken) : [];
        if (versions.Count == 0 || versions[^1].Type != EntryType.Report)
        {
            return new CaseOutcome<FoundReport>.NotFound();
        }

        // The newest version says what the head says (they are written in one batch): it decides who sees the
        // report, and a read answers from it. Only a correction reads the head itself, for the ETag it replaces.
        var latest = versions[^1];
        if (!EntryVisibility.Sees(caller, open, latest))
        {
            caller.Audit.MarkHidden(); // an entry the caller may not see answers like a missing one; the audit knows
            return new CaseOutcome<FoundReport>.NotFound(Hidden: true);
        }

        var head = need == CaseNeed.Read ? latest : await entries.HeadAsync(caseId, latest.TimelineRow!, cancellationToken);
        return head is null
            ? new CaseOutcome<FoundReport>.NotFound()
            : new CaseOutcome<FoundReport>.Done(new FoundReport(open, head, versions));
    }

    private static ReportView View(Caller caller, FoundReport report)
    {
        var entry = EntryVisibility.View(caller, report.Open, report.Head, corrected: report.Head.Version > 1);
        var versions = report.Versions.Select(version => new ReportVersionView(
            version.Version,
            Time.JapanTime.ToJapan(version.VersionAt ?? version.ReceivedAt),
            version.VersionBy ?? version.Author.Id,
            version.VersionReason,
            Time.JapanTime.ToJapan(version.ObservedAt ?? version.ReceivedAt),
            version.Report is { } details && report.Head.Redaction is null ? EntryVisibility.Content(version, details) : null)).ToList();
        return new ReportView(entry, versions, report.Open.BreakGlass ? true : null);
    }

    private static EntryAuthor Author(Caller caller, SubmitterInput? submittedBy)
        => caller.Kind == CallerKind.SubmissionKey
            ? new EntryAuthor(EntryAuthor.Key, caller.Id, caller.AgencyId, submittedBy! with { Name = submittedBy.Name!.Trim(), Role = submittedBy.Role?.Trim() })
            : new EntryAuthor(EntryAuthor.Person, caller.Id, caller.AgencyId);

    private sealed record FoundReport(OpenCase Open, StoredEntry Head, IReadOnlyList<StoredEntry> Versions);
}

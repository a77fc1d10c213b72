using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Validation;

namespace Serverless.Entries;

/// <summary>
/// One timeline per case: reports, comments and the case's own changes, newest first by the time the system
/// received them, each as the caller may see it; and redaction, by which a coordinator removes an entry's content.
/// </summary>
public sealed class TimelineService(CaseGate gate, EntryStore entries, TimeProvider clock, ILogger<TimelineService> logger)
{
    /// <summary>Only whether the caller may read the case: a query that cannot be read is still 404 first for a case
    /// the caller may not see, and carries no entry.</summary>
    public Task<CaseOutcome<OpenCase>> ReachAsync(Caller caller, string caseId, CancellationToken cancellationToken)
        => gate.OpenAsync(caller, caseId, CaseNeed.Read, cancellationToken);

    public async Task<CaseOutcome<TimelinePage>> PageAsync(Caller caller, string caseId, TimelineQuery query, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Read, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<TimelinePage>();
        }

        var errors = new List<ValidationError>();
        if (query.PageSize is < 1 or > EntryLimits.MaxPageSize)
        {
            errors.Add(new ValidationError("$.pageSize", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "1", ["max"] = EntryLimits.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }

        // The token is bound to the case and the query's filters, so it cannot be replayed against another.
        var scope = $"timeline-{caseId}-{string.Join(',', (query.Types ?? []).Order())}-{query.Before?.UtcTicks}";
        string? storageToken = null;
        if (query.ContinuationToken is not null && (storageToken = ContinuationTokens.Decode(query.ContinuationToken, scope)) is null)
        {
            errors.Add(new ValidationError("$.continuationToken", FieldRules.InvalidId));
        }

        if (errors.Count > 0)
        {
            return new CaseOutcome<TimelinePage>.Invalid(errors);
        }

        var (rows, next) = await entries.PageAsync(caseId, query.Types, query.Before, query.PageSize, storageToken, cancellationToken);
        var seen = rows.Where(entry => EntryVisibility.Sees(caller, open, entry)).ToList();
        caller.Audit.TouchedEntries(seen.Where(entry => entry.Type != EntryType.CaseChange && entry.Redaction is null).Select(entry => entry.EntryId));
        var views = seen.Select(entry => EntryVisibility.View(caller, open, entry, corrected: entry.Version > 1)).ToList();
        return new CaseOutcome<TimelinePage>.Done(new TimelinePage(caseId, views, next is null ? null : ContinuationTokens.Encode(scope, next), open.BreakGlass ? true : null));
    }

    /// <summary>A coordinator removes an entry's content (written on the wrong child, for instance), from the
    /// timeline and every version; the redaction, who made it and why stay.</summary>
    public async Task<CaseOutcome<TimelineEntryView>> RedactAsync(Caller caller, string caseId, string entryId, RedactionRequest? request, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<TimelineEntryView>();
        }

        var versions = EntryIds.IsValid(entryId) ? await entries.VersionsAsync(caseId, entryId, cancellationToken) : [];
        var head = versions.Count > 0 ? await entries.HeadAsync(caseId, versions[^1].TimelineRow!, cancellationToken) : null;
        if (head is null)
        {
            return new CaseOutcome<TimelineEntryView>.NotFound();
        }

        if (head.Redaction is not null)
        {
            return new CaseOutcome<TimelineEntryView>.Refused(ProblemCatalogue.EntryRedacted);
        }

        if (request is null)
        {
            return new CaseOutcome<TimelineEntryView>.Unreadable();
        }

        var errors = new ValidationErrors();
        EntryValidator.Reason(errors, "$.reason", request.Reason);
        if (errors.Any)
        {
            return new CaseOutcome<TimelineEntryView>.Invalid(errors.All);
        }

        var redaction = new Redaction(caller.Id, clock.GetUtcNow(), request.Reason!.Trim());
        if (!await entries.RedactAsync(head, versions, entry => Redacted(entry, redaction), cancellationToken))
        {
            return new CaseOutcome<TimelineEntryView>.Refused(ProblemCatalogue.Conflict);
        }

        logger.LogWarning("Entry {EntryId} of case {CaseId} redacted by {CallerId}", entryId, caseId, caller.Id);
        return new CaseOutcome<TimelineEntryView>.Done(EntryVisibility.View(caller, open, Redacted(head, redaction), corrected: head.Version > 1));
    }

    /// <summary>The entry without its content: the text, the structured fields, the typed author name and the mentions go; kind, times, ids and scope stay.</summary>
    private static StoredEntry Redacted(StoredEntry entry, Redaction redaction) => entry with
    {
        Text = null,
        Report = entry.Report is { } report ? new ReportDetails(report.Kind, report.Urgency, null, null) : null,
        Comment = entry.Comment is { } comment ? new CommentDetails(comment.InReplyTo, null) : null,
        Author = entry.Author with { SubmittedBy = null },
        Sighting = null,
        AttendanceAlert = null,
        Review = null,
        VersionReason = null,
        Redaction = redaction,
    };
}

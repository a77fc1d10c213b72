using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Validation;

namespace Serverless.Functions.Entries;

/// <summary>The timeline of a case, and redaction of an entry's content.</summary>
public sealed class TimelineFunctions(HttpEndpoint endpoint, TimelineService timeline)
{
    [Function("GetTimeline")]
    [ApiOperation("The case's timeline: reports, comments and the case's own changes, newest first by the time received (each with observedAt in Japan time), each as the caller may see it. A page may hold fewer entries than asked; only continuationToken says whether more follow.", Tag = "entries", Access = "coordinator, or a member of an agency on the case")]
    [ApiQuery("kinds", "comma-separated: report, comment, case-change (default: all)")]
    [ApiQuery("before", "entries received before this ISO 8601 time with offset")]
    [ApiQuery("pageSize", "1 to 100, default 50")]
    [ApiQuery("continuationToken", "from the previous page")]
    [ApiResponse(200, typeof(TimelinePage))]
    [ApiProblems("auth.unauthenticated", "resource.not-found", "request.validation-failed")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/timeline")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TimelineRead, caseId, async (context, caller) =>
        {
            var errors = new List<ValidationError>();
            var query = new TimelineQuery(
                Types(CaseQuery.Single(request.Query, "kinds", errors), errors),
                Before(CaseQuery.Single(request.Query, "before", errors), errors),
                CaseQuery.Int(request.Query, "pageSize", errors) ?? EntryLimits.DefaultPageSize,
                CaseQuery.Single(request.Query, "continuationToken", errors));
            if (errors.Count > 0)
            {
                // Still 404 first for a case the caller may not see; then the query's own errors.
                return CaseResults.From(await timeline.ReachAsync(caller, caseId, cancellationToken), context, _ => context.Invalid(errors));
            }

            return CaseResults.From(await timeline.PageAsync(caller, caseId, query, cancellationToken), context, page => ApiResult.Ok(page));
        });

    [Function("RedactEntry")]
    [ApiOperation("Remove a report's or comment's content (written on the wrong child, for instance), with a reason: gone from the timeline and every version; the redaction, who made it and why stay.", Tag = "entries", Access = "coordinator", RequestBody = typeof(RedactionRequest))]
    [ApiResponse(200, typeof(TimelineEntryView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "resource.conflict", "entries.redacted")]
    public Task<IActionResult> Redact(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/entries/{entryId}/redaction")] HttpRequest request,
        string caseId,
        string entryId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.EntryRedact,
            caseId,
            async (context, caller) =>
            {
                var body = await JsonBody.ReadAsync<RedactionRequest>(request, context, maxBytes: 8 * 1024);
                var outcome = await timeline.RedactAsync(caller, caseId, entryId, body.Value, cancellationToken);
                return outcome is CaseOutcome<TimelineEntryView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => ApiResult.Ok(view));
            },
            entryId: entryId);

    private static IReadOnlyCollection<EntryType>? Types(string? text, List<ValidationError> errors)
    {
        if (text is null)
        {
            return null;
        }

        var types = new HashSet<EntryType>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                types.Add(JsonSerializer.Deserialize<EntryType>(JsonSerializer.Serialize(name), CaseJson.Options));
            }
            catch (JsonException)
            {
                errors.Add(new ValidationError("$.kinds", FieldRules.InvalidValue));
                return null;
            }
        }

        return types;
    }

    private static DateTimeOffset? Before(string? text, List<ValidationError> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (EntryValidator.TryParseWithOffset(text, out var time))
        {
            return time;
        }

        errors.Add(new ValidationError("$.before", FieldRules.OffsetRequired));
        return null;
    }
}

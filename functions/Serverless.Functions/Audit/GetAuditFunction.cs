using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Functions.Audit;

public sealed class GetAuditFunction(HttpEndpoint endpoint, AuditReader audit)
{
    [Function("GetAudit")]
    [ApiOperation("The audit trail: who looked at one child's case (caseId), or everything one person or key touched in a window (actor, from, to; at most 31 days), as a report to the Personal Information Protection Commission needs. Never case contents. This read is audited too. A coordinator barred from a case finds no entries of it: by case, the same empty page a missing case gets; by actor, its rows are left out.", Tag = "audit", Access = "coordinator, auditor")]
    [ApiQuery("caseId", "a case id (or give actor, from and to)")]
    [ApiQuery("actor", "a person id or a submission key's id")]
    [ApiQuery("from", "start: yyyy-MM-dd (a Japan date) or an ISO 8601 time with offset")]
    [ApiQuery("to", "end, exclusive: yyyy-MM-dd (the whole Japan day is included) or an ISO 8601 time with offset")]
    [ApiQuery("pageSize", "1 to 100, default 50")]
    [ApiQuery("continuationToken", "from the previous page")]
    [ApiResponse(200, typeof(AuditPage))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/audit")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.AuditRead, Text(request, "caseId"), async (context, caller) =>
        {
            if (caller.Role is not (CallerRole.Coordinator or CallerRole.Auditor))
            {
                return context.Problem(ProblemCatalogue.Forbidden);
            }

            var errors = new List<ValidationError>();
            var pageSize = CaseQuery.Int(request.Query, "pageSize", errors);
            var token = Text(request, "continuationToken");
            var (caseId, actor) = (Text(request, "caseId"), Text(request, "actor"));
            if (errors.Count > 0)
            {
                return context.Invalid(errors);
            }

            AuditQueryOutcome outcome;
            if (caseId is not null)
            {
                if (!CaseIds.IsValid(caseId))
                {
                    return context.Invalid([new ValidationError("$.caseId", FieldRules.InvalidId)]);
                }

                outcome = await audit.ByCaseAsync(caller, caseId, pageSize, token, cancellationToken);
            }
            else if (actor is not null)
            {
                var from = Time(request, "from", endOfDay: false, errors);
                var to = Time(request, "to", endOfDay: true, errors);
                if (errors.Count > 0 || from is null || to is null)
                {
                    return context.Invalid(errors);
                }

                outcome = await audit.ByActorAsync(caller, actor, from.Value, to.Value, pageSize, token, cancellationToken);
            }
            else
            {
                return context.Invalid([new ValidationError("$.caseId", FieldRules.Required)]);
            }

            return outcome switch
            {
                AuditQueryOutcome.Done done => ApiResult.Ok(done.Page),
                AuditQueryOutcome.Invalid invalid => context.Invalid(invalid.Errors),
                _ => throw new InvalidOperationException($"Unmapped outcome {outcome.GetType().Name}"),
            };
        },
        readCaseAhead: false); // an auditor never reads the case; a coordinator's bar is checked by the audit reader, through the gate

    private static string? Text(HttpRequest request, string name)
        => request.Query[name].ToString() is { Length: > 0 } value ? value : null;

    /// <summary>A Japan date (its start; for <c>to</c> the next day's start, so the day is included) or an ISO 8601 time with an offset.</summary>
    private static DateTimeOffset? Time(HttpRequest request, string name, bool endOfDay, List<ValidationError> errors)
    {
        var text = Text(request, name);
        if (text is null)
        {
            errors.Add(new ValidationError("$." + name, FieldRules.Required));
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return JapanTime.StartOfDay(endOfDay ? day.AddDays(1) : day);
        }

        if (text.Contains('T', StringComparison.Ordinal) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && (text.EndsWith('Z') || text.Contains('+', StringComparison.Ordinal) || text.LastIndexOf('-') > 10))
        {
            return time;
        }

        errors.Add(new ValidationError("$." + name, FieldRules.InvalidValue));
        return null;
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Council.Ledger;
using Serverless.Exports;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Problems;
using Serverless.Validation;

namespace Serverless.Functions.Council;

/// <summary>The review ledger (進行管理台帳).</summary>
public sealed class LedgerFunctions(HttpEndpoint endpoint, LedgerService ledger, LedgerExport export)
{
    [Function("GetLedger")]
    [ApiOperation("The review ledger (進行管理台帳): every case with its status, category, risk, urgency, lead and key agency, last and next review, days overdue and last activity, overdue first (next review date order, undated last). Coordinators: every open case (accepted and registered), or one status, or one agency; members: their own agency's cases. A page may hold fewer than pageSize cases and still continue.", Tag = "council", Access = "coordinator, or a member (own agency)")]
    [ApiQuery("status", "accepted | registered | closed (default: accepted and registered)")]
    [ApiQuery("agency", "an agency id (members: their own only)")]
    [ApiQuery("reviewDueBefore", "yyyy-MM-dd: next review date before this day")]
    [ApiQuery("pageSize", "1 to 100, default 50")]
    [ApiQuery("continuationToken", "from the previous page")]
    [ApiResponse(200, typeof(LedgerPage))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.validation-failed")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/ledger")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.LedgerRead, null, async (context, caller) =>
        {
            var errors = new List<ValidationError>();
            var status = CaseQuery.Enum<CaseStatus>(request.Query, "status", errors);
            var agency = CaseQuery.Single(request.Query, "agency", errors);
            var due = CaseQuery.Date(request.Query, "reviewDueBefore", errors);
            var pageSize = CaseQuery.Int(request.Query, "pageSize", errors) ?? LedgerQuery.DefaultPageSize;
            var token = CaseQuery.Single(request.Query, "continuationToken", errors);
            if (errors.Count > 0)
            {
                return context.Invalid(errors);
            }

            var outcome = await ledger.PageAsync(caller, new LedgerQuery(status, agency, due, pageSize, token), cancellationToken);
            return CaseResults.From(outcome, context, page => ApiResult.Ok(page));
        });

    [Function("ExportLedger")]
    [ApiOperation("The review ledger exported for a council meeting, as xlsx or CSV (UTF-8 with BOM, Japanese header row): every case the ledger lists for the same filters. Each export is a numbered copy (写し番号, one sequence per council), printed in every row and in the last line with the meeting, and audited with who took it and for which meeting.", Tag = "council", Access = "coordinator")]
    [ApiQuery("meetingId", "the meeting the copy is for (required)")]
    [ApiQuery("format", "xlsx | csv (required)")]
    [ApiQuery("status", "accepted | registered | closed (default: accepted and registered)")]
    [ApiQuery("agency", "an agency id")]
    [ApiQuery("reviewDueBefore", "yyyy-MM-dd: next review date before this day")]
    [ApiResponse(200, null, XlsxExport.ContentType)]
    [ApiResponse(200, null, "text/csv")]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.validation-failed")]
    public Task<IActionResult> Export(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/ledger/export")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.LedgerExport, null, async (context, caller) =>
        {
            var errors = new List<ValidationError>();
            var meetingId = CaseQuery.Single(request.Query, "meetingId", errors);
            var format = CaseQuery.Enum<LedgerFormat>(request.Query, "format", errors);
            var status = CaseQuery.Enum<CaseStatus>(request.Query, "status", errors);
            var agency = CaseQuery.Single(request.Query, "agency", errors);
            var due = CaseQuery.Date(request.Query, "reviewDueBefore", errors);
            if (errors.Count > 0)
            {
                return caller.IsCoordinator ? context.Invalid(errors) : context.Problem(ProblemCatalogue.Forbidden);
            }

            var outcome = await export.ExportAsync(caller, new LedgerExportQuery(meetingId, format, status, agency, due), cancellationToken);
            return CaseResults.From(outcome, context, file => new DownloadResult(file.Content, file.ContentType, file.FileName));
        });
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Referrals;
using Serverless.Stats;

namespace Serverless.Functions.Stats;

/// <summary><c>GET /api/stats</c>: the council's counts as JSON, or as an xlsx or CSV file (audited as an export).</summary>
public sealed class StatsFunctions(HttpEndpoint endpoint, StatsReader reader, StatsFiles files)
{
    [Function("GetStats")]
    [ApiOperation("The council's counts for whole months (at most 12) or a fiscal year (年度, April to March): per month and for the period, cases opened (受理), registered (登録) and closed (終結), closures by outcome, reports by the kind of the sending agency and by report kind; the cases as they stand now by status, and those not closed by category, risk level, primary abuse type, lead agency and the child's age band (national bands); the period's referral figures as GET /api/stats/referrals computes them. JSON, or format=xlsx|csv for a file with a Japanese header row (CSV: UTF-8 with BOM, CRLF), audited as an export; suppressSmallCounts=true (files only) shows counts of 1 and 2 as 1-2. Counts only: no child or person is named.", Tag = "stats", Access = "coordinator")]
    [ApiQuery("from", "the first day of the first month: yyyy-MM-01, with to; or give fiscalYear")]
    [ApiQuery("to", "the last day of the last month, at most 365 days after from")]
    [ApiQuery("fiscalYear", "instead of from and to: a fiscal year (2025 is 2025-04-01 to 2026-03-31)")]
    [ApiQuery("format", "json (the default), xlsx or csv")]
    [ApiQuery("suppressSmallCounts", "true to show counts of 1 and 2 as 1-2 (xlsx and csv only)")]
    [ApiResponse(200, typeof(CouncilStats))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.validation-failed")]
    public Task<IActionResult> Stats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/stats")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        var query = new StatsQuery(
            new ReferralPeriodQuery(request.Query["from"].ToString(), request.Query["to"].ToString(), request.Query["fiscalYear"].ToString()),
            request.Query["format"].ToString(),
            request.Query["suppressSmallCounts"].ToString());
        return endpoint.RunForCallerAsync(request, query.AsksForFile ? AuditActions.StatsExport : AuditActions.StatsRead, null, async (context, caller) =>
        {
            var outcome = await reader.ReadAsync(caller, query, cancellationToken);
            if (outcome is CaseOutcome<(CouncilStats Stats, StatsRequest Request)>.Done((var stats, var asked)) && asked.Format != StatsFormat.Json)
            {
                return new StatsFileResult(await files.WriteAsync(stats, asked, cancellationToken));
            }

            return CaseResults.From(outcome, context, found => ApiResult.Ok(found.Stats));
        });
    }
}

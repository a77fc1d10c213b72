using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Entries;

/// <summary>Reports (状況報告): submit, read with their versions, correct.</summary>
public sealed class ReportFunctions(HttpEndpoint endpoint, ReportService reports)
{
    /// <summary>A report's narrative is at most 20,000 UTF-16 units (60 KB of UTF-8); the rest is small.</summary>
    public const int MaxBodyBytes = 128 * 1024;

    [Function("SubmitReport")]
    [ApiOperation("Submit a report (状況報告) on a case: what an agency saw or did. Stored before the answer: 201 with a receipt (ids and the time received) and Location; a form's key gets only the receipt. Send Idempotency-Key so a retry never doubles it: the same key and body return the first answer again, another body is 422, a retry while the first still runs is 409. A case the caller's agency does not take part in today is 404, like a missing one.", Tag = "entries", Access = "coordinator; a named member of an agency on the case; the submission key of an agency on the case today", RequestBody = typeof(ReportRequest))]
    [ApiHeader(IdempotencyHeader.Name, "optional: 1 to 255 printable ASCII characters (a UUID), kept at least 24 hours, scoped to the caller", Serverless.Idempotency.IdempotencyKey.MaxLength)]
    [ApiResponse(201, typeof(EntryReceipt))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "request.invalid-idempotency-key", "request.idempotency-key-reused", "request.idempotency-key-in-flight")]
    public Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/reports")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReportSubmit, caseId, async (context, caller) =>
        {
            // The body is read first but reported only once the case is known reachable (404 first).
            var body = await JsonBody.ReadAsync<ReportRequest>(request, context, MaxBodyBytes);
            var key = IdempotencyHeader.Read(request, caller, "reports", body.Bytes);
            var outcome = await reports.SubmitAsync(caller, caseId, body.Value, key, request.Path.Value!, cancellationToken);
            return outcome is CaseOutcome<EntryAdded>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, EntryResults.Added);
        });

    [Function("GetReport")]
    [ApiOperation("One report as it reads now, with every version (corrections), oldest first, if the caller may see it; otherwise 404, like a missing one.", Tag = "entries", Access = "coordinator, or a member who sees the case and the report's scope")]
    [ApiResponse(200, typeof(ReportView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/reports/{reportId}")] HttpRequest request,
        string caseId,
        string reportId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.ReportRead,
            caseId,
            async (context, caller) => CaseResults.From(await reports.GetAsync(caller, caseId, reportId, cancellationToken), context, view => ApiResult.Ok(view)),
            entryId: reportId);

    [Function("CorrectReport")]
    [ApiOperation("Correct a report: a new version, with a reason, by the agency that wrote it. The timeline shows the newest, marked corrected; earlier versions stay readable to whoever may see the report.", Tag = "entries", Access = "a person of the report's agency who may add entries to the case", RequestBody = typeof(CorrectionRequest))]
    [ApiResponse(201, typeof(ReportView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "resource.conflict", "entries.redacted")]
    public Task<IActionResult> Correct(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/reports/{reportId}/corrections")] HttpRequest request,
        string caseId,
        string reportId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.ReportCorrect,
            caseId,
            async (context, caller) =>
            {
                var body = await JsonBody.ReadAsync<CorrectionRequest>(request, context, MaxBodyBytes);
                var outcome = await reports.CorrectAsync(caller, caseId, reportId, body.Value, cancellationToken);
                var report = new PathString(request.Path.Value![..request.Path.Value!.LastIndexOf('/')]);
                return outcome is CaseOutcome<ReportView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => EntryResults.Created(view, report));
            },
            entryId: reportId);
}

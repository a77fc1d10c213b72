using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.OnCall;

namespace Serverless.Functions.OnCall;

/// <summary>The coordinators' on-call schedule (当番): read it, replace it.</summary>
public sealed class OnCallFunctions(HttpEndpoint endpoint, OnCallService onCall)
{
    /// <summary>The stored schedule is at most 240,000 characters (<see cref="Serverless.Cases.Storage.RecordChunks"/>), nearly
    /// all ASCII ids and times; the rest is room for a client's indentation and notes in Japanese (3 bytes a character).</summary>
    public const int MaxBodyBytes = 512 * 1024;

    [Function("GetOnCallSchedule")]
    [ApiOperation("The coordinators' on-call schedule: weekly slots and dated exceptions, Japan time; its version is the ETag to send as If-Match when replacing it. Version 0 and an empty schedule before anyone saved one.", Tag = "on-call", Access = "coordinator")]
    [ApiResponse(200, typeof(OnCallView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/on-call")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.OnCallRead, null, async (context, caller) =>
            CaseResults.From(await onCall.GetAsync(caller, cancellationToken), context, Schedule));

    [Function("SaveOnCallSchedule")]
    [ApiOperation("Replace the on-call schedule, with If-Match set to the ETag read (needed once a schedule exists). Everyone named must hold a coordinator membership today; exceptions already over are dropped. When nobody is on call, urgent notifications go to every coordinator.", Tag = "on-call", Access = "coordinator", RequestBody = typeof(OnCallSchedule))]
    [ApiResponse(200, typeof(OnCallView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.precondition-required", "request.precondition-failed", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Put(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/on-call")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.OnCallUpdate, null, async (context, caller) =>
        {
            // A body that cannot be read is reported only to a coordinator (403 first).
            var body = await JsonBody.ReadAsync<OnCallSchedule>(request, context, MaxBodyBytes);
            var outcome = await onCall.PutAsync(caller, body.Value, CaseResults.ExpectedVersion(request), cancellationToken);
            return outcome is CaseOutcome<OnCallView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, Schedule);
        });

    /// <summary>The schedule with its version as a strong ETag, as a case carries its own.</summary>
    private static IActionResult Schedule(OnCallView view)
        => new WithHeaderResult(ApiResult.Ok(view), "ETag", CaseResults.ETag(view.Version));
}

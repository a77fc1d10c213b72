using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Council.Meetings;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Council;

/// <summary>Council meetings and their reviews of cases (coordinators).</summary>
public sealed class MeetingFunctions(HttpEndpoint endpoint, MeetingService meetings)
{
    [Function("CreateMeeting")]
    [ApiOperation("Record a council meeting: kind (intake 受理会議 | case-conference 個別ケース検討会議 | practitioners 実務者会議 | representatives 代表者会議), date, title, attending agencies, minutes (required for representatives, which reviews no single case). Its reviews of cases follow, one request per case.", Tag = "council", Access = "coordinator", RequestBody = typeof(CreateMeetingRequest))]
    [ApiResponse(201, typeof(MeetingView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/meetings")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.MeetingCreate, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<CreateMeetingRequest>(request, context);
            var outcome = await meetings.CreateAsync(caller, body.Value, cancellationToken);
            return outcome is CaseOutcome<MeetingView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => new WithHeaderResult(new ApiResult(StatusCodes.Status201Created, view), "Location", request.Path.Add("/" + view.MeetingId).Value!));
        });

    [Function("GetMeeting")]
    [ApiOperation("A council meeting as recorded.", Tag = "council", Access = "coordinator")]
    [ApiResponse(200, typeof(MeetingView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/meetings/{meetingId}")] HttpRequest request,
        string meetingId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.MeetingRead, null, async (context, caller) =>
            CaseResults.From(await meetings.GetAsync(caller, meetingId, cancellationToken), context, view => ApiResult.Ok(view)));

    [Function("ReviewCase")]
    [ApiOperation("The meeting's review of one case, with If-Match set to the case's ETag: the status decided, risk and urgency, the support policy (援助方針), the key person, the next review date (default: the meeting's date plus the council's cadence, 3 months) and the roles given as tasks (up to 20). One new version of the case, the meeting as its reason, with a review entry on its timeline; answered with the case as saved and its new ETag.", Tag = "council", Access = "coordinator", RequestBody = typeof(ReviewRequest))]
    [ApiResponse(201, typeof(ReviewView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.precondition-required", "request.precondition-failed", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "meetings.reviews-no-case", "meetings.case-already-reviewed", "cases.agency-not-council-member")]
    public Task<IActionResult> Review(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/meetings/{meetingId}/reviews")] HttpRequest request,
        string meetingId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CaseReview, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<ReviewRequest>(request, context);
            var outcome = await meetings.ReviewAsync(caller, meetingId, CaseResults.ExpectedVersion(request), body.Value, cancellationToken);
            return outcome is CaseOutcome<ReviewView>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, view => new WithHeaderResult(new ApiResult(StatusCodes.Status201Created, view), "ETag", CaseResults.ETag(view.Case.Version)));
        });
}

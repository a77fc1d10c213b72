using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Entries;
using Serverless.Functions.Http;
using Serverless.Identity;
using Serverless.Referrals;
using Serverless.Storage;
using Serverless.Validation;

namespace Serverless.Functions.Referrals;

/// <summary><c>GET /api/referrals</c>: a coordinator's open list (or a receipt number's referral), or a member's or a
/// form's own receipts. Exactly one of the lists is present.</summary>
public sealed record ReferralListing(IReadOnlyList<OpenReferralItem>? Referrals, IReadOnlyList<ReferralReceipt>? Receipts, string? ContinuationToken);

/// <summary>Referrals (通告・相談): received before there is any case, triaged by the coordinators, counted for the council's reports.</summary>
public sealed class ReferralFunctions(HttpEndpoint endpoint, ReferralIntake intake, ReferralReader reader, SafetyConfirmations confirmations, ReferralTriage triage, ReferralCountReader counts)
{
    /// <summary>A narrative is at most 20,000 UTF-16 units (60 KB of UTF-8); a decision may carry a whole case record.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    private const string Emergency = "A web form is not an emergency line: every receipt says 「" + ReferralNotice.Emergency + "」.";

    [Function("SubmitReferral")]
    [ApiOperation("Submit a referral (通告・相談) about a child: what was seen or heard and when, about whom as much as is known, and the referrer. Stored before the answer: 201 with a receipt (the referral id and a receipt number to quote on the phone) and its state. " + Emergency + " Who referred is seen by coordinators only (児童虐待防止法 第7条). A coordinator entering a call or a visit (代理入力) gives intake.channel and the referrer. Send Idempotency-Key so a retry never doubles it.", Tag = "referrals", Access = "any member; an agency form's submission key; a coordinator entering a call or a visit", RequestBody = typeof(ReferralRequest))]
    [ApiHeader(IdempotencyHeader.Name, "optional: 1 to 255 printable ASCII characters (a UUID), kept at least 24 hours, scoped to the caller", Serverless.Idempotency.IdempotencyKey.MaxLength)]
    [ApiResponse(201, typeof(ReferralReceipt))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "request.invalid-idempotency-key", "request.idempotency-key-reused", "request.idempotency-key-in-flight")]
    public Task<IActionResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralSubmit, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<ReferralRequest>(request, context, MaxBodyBytes);
            var key = IdempotencyHeader.Read(request, caller, "referrals", body.Bytes);
            var outcome = await intake.SubmitAsync(caller, body.Value, key, request.Path.Value!, cancellationToken);
            return outcome is CaseOutcome<EntryAdded>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, EntryResults.Added);
        });

    [Function("ListReferrals")]
    [ApiOperation("Coordinators: the open referrals (state=open): overdue first, then the oldest receipt first, each with its deadline and the minutes left; or the referral a receipt number was given (receipt=). Members and forms: the receipts of what they submitted, newest first, with their state.", Tag = "referrals", Access = "coordinator; a member or a form for their own receipts")]
    [ApiQuery("state", "coordinators: open (required unless receipt is given); members and forms: open or decided, to filter their receipts")]
    [ApiQuery("receipt", "coordinators: a receipt number (K7QM-3XRD; the hyphen optional)")]
    [ApiQuery("pageSize", "members and forms: 1 to 100, default 50")]
    [ApiQuery("continuationToken", "members and forms: from the previous page")]
    [ApiResponse(200, typeof(ReferralListing))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.validation-failed")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/referrals")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralList, null, async (context, caller) =>
        {
            var errors = new List<ValidationError>();
            var state = CaseQuery.Single(request.Query, "state", errors);
            var receipt = CaseQuery.Single(request.Query, "receipt", errors);
            if (state is not null and not "open" and not "decided")
            {
                errors.Add(new ValidationError("$.state", FieldRules.InvalidValue));
            }

            if (caller.IsCoordinator)
            {
                if (state is null && receipt is null)
                {
                    errors.Add(new ValidationError("$.state", FieldRules.Required));
                }

                if (errors.Count > 0)
                {
                    return context.Invalid(errors);
                }

                var list = receipt is not null ? await reader.ByReceiptAsync(caller, receipt, cancellationToken) : await reader.OpenAsync(caller, cancellationToken);
                return CaseResults.From(list, context, open => ApiResult.Ok(new ReferralListing(open.Referrals, null, null)));
            }

            if (!caller.MaySeeCases && caller.Kind != CallerKind.SubmissionKey)
            {
                return context.Problem(Serverless.Problems.ProblemCatalogue.Forbidden); // admins and auditors: no referral is theirs
            }

            var pageSize = CaseQuery.Int(request.Query, "pageSize", errors);
            var scope = "referrals-" + caller.Kind + "-" + caller.Id;
            var token = request.Query["continuationToken"].ToString();
            string? storageToken = null;
            if (token.Length > 0 && (storageToken = ContinuationTokens.Decode(token, scope)) is null)
            {
                errors.Add(new ValidationError("$.continuationToken", FieldRules.InvalidId));
            }

            if (receipt is not null)
            {
                errors.Add(new ValidationError("$.receipt", FieldRules.ServerManaged)); // looking up others' receipts is a coordinator's
            }

            if (errors.Count > 0)
            {
                return context.Invalid(errors);
            }

            var mine = await reader.MineAsync(caller, pageSize, storageToken, cancellationToken);
            return CaseResults.From(mine, context, page => ApiResult.Ok(new ReferralListing(
                null,
                [.. page.Receipts.Where(item => state is null || (state == "decided") == (item.State == ReferralState.Decided))],
                page.ContinuationToken is { } next ? ContinuationTokens.Encode(scope, next) : null)));
        });

    [Function("GetReferral")]
    [ApiOperation("One referral. A coordinator gets all of it: the referrer, the narrative, the clock, the confirmations, the escalations raised, the decision, and until decided the draft of the case it would become. Whoever submitted it gets its receipt and state only; anyone else 404, as for one that does not exist.", Tag = "referrals", Access = "coordinator; its submitter (receipt only)")]
    [ApiResponse(200, typeof(ReferralRead))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/referrals/{referralId}")] HttpRequest request,
        string referralId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralRead, null, async (context, caller) =>
            CaseResults.From(await reader.GetAsync(caller, referralId, cancellationToken), context, read => ApiResult.Ok(read)));

    [Function("AddSafetyConfirmation")]
    [ApiOperation("Record a safety confirmation (安全確認): someone actually saw the child (目視). Who (agency, and a person or a name), when, where, how, the child's condition, whether an injury was seen. Several may be recorded, on a decided referral too; the first stops the clock. On a referral that is part of a case it goes on the case's timeline.", Tag = "referrals", Access = "coordinator", RequestBody = typeof(SafetyConfirmationRequest))]
    [ApiResponse(201, typeof(SafetyConfirmationView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "resource.conflict")]
    public Task<IActionResult> Confirm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{referralId}/safety-confirmations")] HttpRequest request,
        string referralId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralConfirm, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<SafetyConfirmationRequest>(request, context, MaxBodyBytes);
            var outcome = await confirmations.RecordAsync(caller, referralId, body.Value, cancellationToken);
            return outcome is CaseOutcome<SafetyConfirmationView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => EntryResults.Created(view, request.Path));
        });

    [Function("DecideReferral")]
    [ApiOperation("The intake meeting's decision (受理会議): new-case (the draft or a corrected record; the duplicate check runs: 409 with the candidates until confirmed), existing-case (caseId), referred-to-centre (送致: centreAgencyId), or no-further-action (reason). Into a case, summary is what its members read instead of the referral. No further action on an abuse report needs a safety confirmation first or a noConfirmationReason (409 otherwise). Then the referral is read-only but for safety confirmations.", Tag = "referrals", Access = "coordinator", RequestBody = typeof(DecisionRequest))]
    [ApiResponse(200, typeof(ReferralView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "resource.conflict", "cases.possible-duplicate", "cases.agency-not-council-member", "referrals.decided", "referrals.safety-confirmation-required")]
    public Task<IActionResult> Decide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{referralId}/decision")] HttpRequest request,
        string referralId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralDecide, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<DecisionRequest>(request, context, MaxBodyBytes);
            var outcome = await triage.DecideAsync(caller, referralId, body.Value, cancellationToken);
            return outcome is CaseOutcome<ReferralView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => ApiResult.Ok(view));
        });

    [Function("AddCentreAcceptance")]
    [ApiOperation("Record that the child guidance centre accepted a referral decided as referred-to-centre (送致): the council's safety-confirmation clock stops, the centre's runs.", Tag = "referrals", Access = "coordinator", RequestBody = typeof(CentreAcceptanceRequest))]
    [ApiResponse(200, typeof(ReferralView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "resource.conflict", "referrals.not-referred-to-centre")]
    public Task<IActionResult> Accept(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{referralId}/centre-acceptance")] HttpRequest request,
        string referralId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralAccept, null, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<CentreAcceptanceRequest>(request, context, MaxBodyBytes);
            var outcome = await triage.RecordAcceptanceAsync(caller, referralId, body.Value, cancellationToken);
            return outcome is CaseOutcome<ReferralView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => ApiResult.Ok(view));
        });

    [Function("GetReferralCounts")]
    [ApiOperation("The counts a council reports about the referrals received in a period (receipt dates in Japan, both ends included, at most 366 days) or a fiscal year (年度, April to March): received; by kind, by route (経路; unknown where none was recorded) and by channel; for abuse reports, the safety-confirmation limit (within it, late, handed to the centre first, overdue or not yet due without a sighting; hours from receipt to the first sighting, median and 90th percentile; the share within the limit as its two counts); decisions by outcome. Counts only: no child, referrer or submitting agency is named.", Tag = "referrals", Access = "coordinator")]
    [ApiQuery("from", "the first receipt date: yyyy-MM-dd (a Japan date), with to; or give fiscalYear")]
    [ApiQuery("to", "the last receipt date, included: yyyy-MM-dd, at most 365 days after from")]
    [ApiQuery("fiscalYear", "instead of from and to: a fiscal year (2025 is 2025-04-01 to 2026-03-31)")]
    [ApiResponse(200, typeof(ReferralCounts))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.validation-failed")]
    public Task<IActionResult> Counts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/stats/referrals")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralCounts, null, async (context, caller) =>
        {
            // A repeated parameter arrives joined ("2025-04-01,2025-05-01") and is refused as an invalid value.
            var query = new ReferralPeriodQuery(request.Query["from"].ToString(), request.Query["to"].ToString(), request.Query["fiscalYear"].ToString());
            return CaseResults.From(await counts.CountAsync(caller, query, cancellationToken), context, found => ApiResult.Ok(found));
        });
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Cases.Disposal;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Referrals;

/// <summary>
/// Disposal (廃棄) of a referral closed with no further action, once its retention is over: one coordinator proposes,
/// another approves, any coordinator may withdraw, the app runs it after the cooling-off period, as for a case. A
/// referral that became part of a case goes with the case.
/// </summary>
public sealed class ReferralDisposalFunctions(HttpEndpoint endpoint, DisposalService disposal)
{
    private const string Refusals = "404 for anyone but a coordinator who may see the referral, exactly as for a missing one (403 for admins and auditors).";

    [Function("ProposeReferralDisposal")]
    [ApiOperation("Propose disposal (廃棄) of a referral closed with no further action, once its retainUntil (the decision day plus Referrals:RetentionYears) has come, under the municipality's document rule (ruleReference). Another coordinator must approve; the app then erases it after Disposal:ExecutionDelay. " + Refusals, Tag = "referrals", Access = "coordinator", RequestBody = typeof(ProposeDisposalRequest))]
    [ApiResponse(201, typeof(ReferralDisposalView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "cases.legal-hold", "referrals.not-disposable", "cases.disposal-state")]
    public Task<IActionResult> Propose(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{referralId}/disposal")] HttpRequest request,
        string referralId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralDisposalPropose, null, async (context, caller) =>
        {
            // The body is read, but reported only once the referral is known visible (404 first).
            var body = await JsonBody.ReadAsync<ProposeDisposalRequest>(request, context, maxBytes: 8 * 1024);
            var outcome = await disposal.ProposeReferralAsync(caller, referralId, body.Value, cancellationToken);
            return outcome is CaseOutcome<ReferralDisposalView>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, view => new ApiResult(StatusCodes.Status201Created, view));
        });

    [Function("ApproveReferralDisposal")]
    [ApiOperation("Approve a proposed disposal of a referral: a second coordinator, never the proposer (403). The retention rule is checked again. " + Refusals, Tag = "referrals", Access = "coordinator (not the proposer)")]
    [ApiResponse(200, typeof(ReferralDisposalView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "cases.legal-hold", "referrals.not-disposable", "cases.disposal-state", "resource.conflict")]
    public Task<IActionResult> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{referralId}/disposal/approve")] HttpRequest request,
        string referralId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralDisposalApprove, null, async (context, caller) =>
            CaseResults.From(await disposal.ApproveReferralAsync(caller, referralId, cancellationToken), context, view => ApiResult.Ok(view)));

    [Function("WithdrawReferralDisposal")]
    [ApiOperation("Withdraw a referral's disposal before the app runs it: any coordinator. " + Refusals, Tag = "referrals", Access = "coordinator")]
    [ApiResponse(200, typeof(ReferralDisposalView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "cases.disposal-state", "resource.conflict")]
    public Task<IActionResult> Withdraw(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{referralId}/disposal/withdraw")] HttpRequest request,
        string referralId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.ReferralDisposalWithdraw, null, async (context, caller) =>
            CaseResults.From(await disposal.WithdrawReferralAsync(caller, referralId, cancellationToken), context, view => ApiResult.Ok(view)));
}

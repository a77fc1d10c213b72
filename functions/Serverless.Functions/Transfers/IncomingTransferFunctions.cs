using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Problems;
using Serverless.Transfers.Incoming;
using Serverless.Validation;

namespace Serverless.Functions.Transfers;

/// <summary>Messages from partner councils (移管): the intake they post to, and the coordinators' list of what arrived.</summary>
public sealed class IncomingTransferFunctions(HttpEndpoint endpoint, TransferIntake intake, IncomingTransferList incoming)
{
    [Function("ReceiveTransfer")]
    [ApiOperation("A partner council posts a sealed transfer message (the bytes of the transfer envelope: at most 8 MiB, or 25 MiB and 64 KiB for a file message, one carried file sent after its package). No bearer token: the message is trusted only when it is addressed to this council, decrypts with its key and carries the signature of a partner registered and confirmed here, with a message id not received before. Accepted: 202 with a receipt (message id, time received, SHA-256 of the bytes received). Every refusal is the same 403 transfers.refused, whatever the reason.", Tag = "transfers", Access = "a confirmed partner council (no token: the message's signature is checked)", BinaryBody = true)]
    [ApiResponse(202, typeof(IncomingTransferReceipt))]
    [ApiProblems("transfers.refused", "request.body-too-large")]
    public Task<IActionResult> Receive(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/transfers/incoming")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunWithoutCallerAsync(request, AuditActions.TransferPackageReceive, async (context, audit) =>
            await intake.ReceiveAsync(await RawBody.ReadAsync(request, IncomingTransferLimits.MaxFileMessageBytes), audit, cancellationToken) switch
            {
                IntakeOutcome.Accepted accepted => new ApiResult(StatusCodes.Status202Accepted, accepted.Receipt),
                IntakeOutcome.TooLarge tooLarge => RawBody.TooLarge(context, tooLarge.MaxBytes),
                _ => context.Problem(ProblemCatalogue.TransferRefused),
            });

    [Function("ListTransfers")]
    [ApiOperation("Coordinators: the messages received from partner councils (direction=incoming): message id, the sender's municipality code and registered name, when it was received, its state (received) and the SHA-256 of the bytes received. No child data.", Tag = "transfers", Access = "coordinator")]
    [ApiQuery("direction", "incoming (required: the only direction listed so far)")]
    [ApiQuery("pageSize", "1 to 100, default 50")]
    [ApiQuery("continuationToken", "from the previous page")]
    [ApiResponse(200, typeof(IncomingTransferPage))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.validation-failed")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/transfers")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferIncomingList, null, async (context, caller) =>
        {
            var errors = new List<ValidationError>();
            var direction = CaseQuery.Single(request.Query, "direction", errors);
            var pageSize = CaseQuery.Int(request.Query, "pageSize", errors);
            var token = CaseQuery.Single(request.Query, "continuationToken", errors);
            return CaseResults.From(await incoming.ListAsync(caller, direction, pageSize, token, errors, cancellationToken), context, page => ApiResult.Ok(page));
        });
}

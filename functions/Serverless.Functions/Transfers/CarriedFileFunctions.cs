using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Files;
using Serverless.Functions.Http;
using Serverless.Transfers.CarriedFiles;

namespace Serverless.Functions.Transfers;

/// <summary>The files a package carries (移管): each sent after its package, and a received one read by coordinators.</summary>
public sealed class CarriedFileFunctions(HttpEndpoint endpoint, TransferFileSender sender, IncomingTransferFileReader reader)
{
    [Function("TransferFileDelivery")]
    public Task Deliver([QueueTrigger(TransferFileQueue.Name)] string message, CancellationToken cancellationToken)
        => sender.DeliverQueuedAsync(message, cancellationToken);

    [Function("ReadTransferFile")]
    [ApiOperation("Coordinators: one file a partner council sent after its package (the bytes the package's reference names, SHA-256 and length checked on receipt), streamed as an attachment (application/octet-stream, the package's file name in filename*, sandbox CSP). Not validated here: importing the accepted package into a case validates it like an upload. Unknown sender, message or file: 404.", Tag = "transfers", Access = "coordinator")]
    [ApiResponse(200, null, "application/octet-stream")]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> Read(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/transfers/incoming/{senderMunicipalityCode}/{messageId}/files/{fileId}")] HttpRequest request,
        string senderMunicipalityCode,
        string messageId,
        string fileId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.TransferFileRead,
            null,
            async (context, caller) => CaseResults.From(await reader.OpenAsync(caller, senderMunicipalityCode, messageId, fileId, cancellationToken), context, content => new StreamedFileResult(content)),
            entryId: fileId);
}

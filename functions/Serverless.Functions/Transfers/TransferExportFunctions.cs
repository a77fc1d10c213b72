using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Transfers.Files;

namespace Serverless.Functions.Transfers;

/// <summary>The export file of a case, for a receiving council that does not run this system (docs/transfer-file.md).</summary>
public sealed class TransferExportFunctions(HttpEndpoint endpoint, TransferFileExport export)
{
    [Function("ExportTransferFile")]
    [ApiOperation("Make the export file (移管ファイル) of the case for a receiving council that does not run this system: the recipient (its municipality code, the receiving coordinator's RSA public key PEM made by serverless-ops transfer-key new, and the fingerprint they read out on the phone, which must match: else 400 with field code fingerprint-mismatch), and the hand-over fields of a send (reason, risk level, summary, face-to-face). The package a send would carry, with its files' bytes, is signed with this council's key and encrypted to the recipient's: 200 with the file (application/octet-stream, attachment, a name made of ids only), opened with serverless-ops transfer-file open. Nothing is stored; the disclosure is in the case's audit with the entry ids and file hashes. Over 1,000 timeline entries, 400 files or the size limit (100 MiB unless set lower): 409 transfers.export-too-large with the counts in the detail.", Tag = "transfers", Access = "coordinator", RequestBody = typeof(ExportTransferFileRequest))]
    [ApiResponse(200, null, "application/octet-stream")]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "transfers.case-closed", "transfers.not-configured", "transfers.export-too-large")]
    public Task<IActionResult> Export(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/transfer-files")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.TransferFileExport, caseId, async (context, caller) =>
        {
            // A body that cannot be read is reported only after the case is found visible (404 first).
            var body = await JsonBody.ReadAsync<ExportTransferFileRequest>(request, context, TransferFileExportLimits.MaxBodyBytes);
            var outcome = await export.ExportAsync(caller, caseId, body.Value, cancellationToken);
            return outcome is CaseOutcome<ExportedTransferFile>.Unreadable
                ? body.Problem!
                : CaseResults.From(outcome, context, file => new DownloadResult(file.Content, "application/octet-stream", file.FileName));
        });
}

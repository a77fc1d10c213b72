using Serverless.Audit;
using Serverless.Cases;
using Serverless.Files.Reading;
using Serverless.Files.Storage;
using Serverless.Identity;
using Serverless.Transfers.Envelope;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>
/// <c>GET /api/transfers/incoming/{senderMunicipalityCode}/{messageId}/files/{fileId}</c>: a received carried file, for
/// coordinators only (every other caller 403 before anything is read); unknown ids, or ids of the wrong shape, 404.
/// Served as <c>application/octet-stream</c> under the name the package gave: the bytes are the sender's validated copy,
/// but this council has not validated them (importing into a case does that).
/// </summary>
public sealed class IncomingTransferFileReader(IncomingTransferFileStore store)
{
    public async Task<CaseOutcome<FileContent>> OpenAsync(Caller caller, string senderCode, string messageId, string fileId, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<FileContent>.Forbidden();
        }

        if (!Partners.MunicipalityCode.IsValid(senderCode) || !TransferIds.IsMessageId(messageId) || !FileIds.IsValid(fileId)
            || await store.GetAsync(senderCode, messageId, fileId, cancellationToken) is not { } row
            || await store.OpenAsync(row, cancellationToken) is not { } content)
        {
            return new CaseOutcome<FileContent>.NotFound();
        }

        caller.Audit.Targeted(new AuditTarget(MunicipalityCode: senderCode, MessageId: messageId, FileHashes: [row.Sha256]));
        return new CaseOutcome<FileContent>.Done(new FileContent(content, "application/octet-stream", row.Name, row.Length, null, row.Sha256));
    }
}

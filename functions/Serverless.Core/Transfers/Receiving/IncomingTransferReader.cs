using Serverless.Audit;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Time;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.Receiving;

/// <summary>
/// <c>GET /api/transfers/incoming/{sender}/{messageId}</c>: a received package as the receiving coordinators should see it
/// (coordinators only; an unknown message 404). Opened again from the stored blob with this council's key, the partner's
/// signature checked again. The entry ids it discloses go into the audit.
/// </summary>
public sealed class IncomingTransferReader(IncomingTransferStore store, IncomingPackageOpener opener, TransferPartnerStore partners)
{
    public async Task<CaseOutcome<IncomingPackageView>> ReadAsync(Caller caller, string senderCode, string messageId, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<IncomingPackageView>.Forbidden();
        }

        if (await FindAsync(store, senderCode, messageId, cancellationToken) is not { } row)
        {
            return new CaseOutcome<IncomingPackageView>.NotFound();
        }

        caller.Audit.Targeted(new AuditTarget(MunicipalityCode: senderCode, MessageId: messageId));
        if (await opener.OpenAsync(row, cancellationToken) is not { } package)
        {
            return new CaseOutcome<IncomingPackageView>.Refused(ProblemCatalogue.TransfersPackageUnreadable);
        }

        caller.Audit.TouchedEntries(package.EntryIds());
        var partner = (await partners.AllAsync(cancellationToken)).FirstOrDefault(candidate => candidate.MunicipalityCode == senderCode);
        return new CaseOutcome<IncomingPackageView>.Done(new IncomingPackageView(
            row.RowKey,
            row.PartitionKey,
            partner?.DisplayName,
            row.State,
            JapanTime.ToJapan(row.CreatedAt),
            JapanTime.ToJapan(row.ReceivedAt),
            row.CaseId,
            row.AcceptedAt is { } acceptedAt ? JapanTime.ToJapan(acceptedAt) : null,
            row.MoreRequest,
            row.MoreRequestedAt is { } askedAt ? JapanTime.ToJapan(askedAt) : null,
            package.SourceCaseId,
            package.Case,
            [.. package.Timeline.Select(entry => new IncomingEntryView(
                entry.EntryId, entry.Kind, JapanTime.ToJapan(entry.At), ReceivingContent.Of(entry.Content), package.ReferrerSecrecy ? null : entry.AuthorAgencyName, entry.Files))],
            package.LatestReview,
            package.LocationSecrecy,
            package.ReferrerSecrecy,
            package.Handover));
    }

    /// <summary>The row, or null for an unknown message or ids that cannot name one (never a storage query with them).</summary>
    internal static async Task<IncomingTransferEntity?> FindAsync(IncomingTransferStore store, string senderCode, string messageId, CancellationToken cancellationToken)
        => MunicipalityCode.IsValid(senderCode) && TransferIds.IsMessageId(messageId)
            ? await store.GetAsync(senderCode, messageId, cancellationToken)
            : null;
}

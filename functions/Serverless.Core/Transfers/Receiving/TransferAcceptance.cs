using Microsoft.Extensions.Logging;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Problems;
using Serverless.Transfers.Answers;
using Serverless.Transfers.CarriedFiles;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Packages;

namespace Serverless.Transfers.Receiving;

/// <summary>
/// <c>POST /api/transfers/incoming/{sender}/{messageId}/acceptance</c>: a coordinator accepts a received package into a NEW
/// case. Retry-safe: the row goes <c>received</c> (or <c>more-requested</c>) → <c>accepting</c> with the new case id and
/// the decision's time reserved at its ETag → <c>accepted</c>. The case is registered through the registration path under
/// the reserved id (its duplicate check and 409 <c>cases.possible-duplicate</c> included: a refusal puts the row back), the
/// entries are written under ids fixed by the case and the sender's entry, and the answer and the files are handed on with
/// what the row fixed; so a retry after a crash in <c>accepting</c> finishes the same case and never makes a second.
/// </summary>
public sealed class TransferAcceptance(
    IncomingTransferStore store,
    IncomingPackageOpener opener,
    CaseService cases,
    EntryStore entries,
    PeopleDirectory people,
    ITransferAnswerOutbox outbox,
    IAcceptedTransferFiles files,
    TimeProvider clock,
    ILogger<TransferAcceptance> logger)
{
    public async Task<CaseOutcome<CaseView>> AcceptAsync(Caller caller, string senderCode, string messageId, AcceptTransferRequest? request, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<CaseView>.Forbidden();
        }

        if (await IncomingTransferReader.FindAsync(store, senderCode, messageId, cancellationToken) is not { } row)
        {
            return new CaseOutcome<CaseView>.NotFound();
        }

        if (request is null)
        {
            return new CaseOutcome<CaseView>.Unreadable();
        }

        caller.Audit.Targeted(new AuditTarget(MunicipalityCode: senderCode, MessageId: messageId));
        if (row.State == IncomingTransferStates.Accepted)
        {
            return new CaseOutcome<CaseView>.Refused(ProblemCatalogue.TransfersAlreadyDecided);
        }

        if (await opener.OpenAsync(row, cancellationToken) is not { } package)
        {
            return new CaseOutcome<CaseView>.Refused(ProblemCatalogue.TransfersPackageUnreadable);
        }

        // Reserve the case id (at the row's ETag: of two acceptances at once, one reserves; the other finishes that case).
        while (row.State != IncomingTransferStates.Accepting)
        {
            if (row.State == IncomingTransferStates.Accepted)
            {
                return new CaseOutcome<CaseView>.Refused(ProblemCatalogue.TransfersAlreadyDecided);
            }

            row.StateBeforeAccepting = row.State;
            row.State = IncomingTransferStates.Accepting;
            row.CaseId = CaseIds.New();
            row.AcceptedAt = clock.GetUtcNow();
            row.AcceptedBy = caller.Id;
            if (!await store.ReplaceAsync(row, cancellationToken))
            {
                row = await store.GetAsync(senderCode, messageId, cancellationToken) ?? throw new InvalidOperationException($"Incoming transfer {messageId} vanished.");
            }
        }

        var caseId = row.CaseId!;
        var registered = await cases.RegisterFromReferralAsync(caller, new CreateCaseRequest(Record(package, caller.AgencyId), request.ConfirmedNotDuplicateOf), caseId, cancellationToken);
        if (registered is not CaseOutcome<CaseView>.Done { Value: var view })
        {
            // Nothing was registered (a possible duplicate, or a record the registration refuses): put the row back, so
            // the package can be accepted after confirming, or answered with a more-request.
            await ReleaseAsync(row, cancellationToken);
            return registered;
        }

        var imported = await ImportEntriesAsync(caseId, senderCode, messageId, package, cancellationToken);
        var answeredBy = (await people.FindAsync(row.AcceptedBy ?? caller.Id, cancellationToken)).Profile?.DisplayName ?? caller.Id;
        await outbox.SendAsync(new TransferAnswer(senderCode, messageId, TransferAnswerKinds.Acknowledgement, row.AcceptedAt!.Value, answeredBy, null), cancellationToken);
        await files.ImportAsync(new AcceptedTransfer(senderCode, messageId, caseId, imported), cancellationToken);

        row.State = IncomingTransferStates.Accepted;
        if (!await store.ReplaceAsync(row, cancellationToken)
            && (await store.GetAsync(senderCode, messageId, cancellationToken))?.State != IncomingTransferStates.Accepted)
        {
            throw new InvalidOperationException($"Incoming transfer {messageId} changed while being accepted.");
        }

        // The disclosure, in the audit by case of the new case: its id and every imported entry.
        if (!caller.Audit.CasesTouched.Contains(caseId))
        {
            caller.Audit.Touched([caseId]);
        }

        caller.Audit.TouchedEntries(imported.Select(entry => entry.EntryId));
        logger.LogInformation("Transfer {MessageId} from {MunicipalityCode} accepted into case {CaseId} ({Count} entries) by {CallerId}", messageId, senderCode, caseId, imported.Count, caller.Id);
        return new CaseOutcome<CaseView>.Done(view);
    }

    /// <summary>The new case's record from the package: this council's division leads it (as a referral's case); location
    /// secrecy (所在秘匿) set as the sender had it, so the case features hide the location as for any local case. The referral
    /// route travels and, as on every case, is shown to coordinators only.</summary>
    public static CaseRecord Record(TransferPackage package, string leadAgencyId)
    {
        var travelled = package.Case;
        return new CaseRecord
        {
            Category = travelled.Category,
            Status = travelled.Status == CaseStatus.Closed ? CaseStatus.Accepted : travelled.Status,
            AbuseTypes = travelled.AbuseTypes,
            PrimaryAbuseType = travelled.PrimaryAbuseType,
            MainAbuserRelationship = travelled.MainAbuserRelationship,
            ReferralRoute = travelled.ReferralRoute,
            RiskLevel = travelled.RiskLevel,
            Urgency = travelled.Urgency,
            Child = travelled.Child,
            ExpectantMother = travelled.ExpectantMother,
            Household = travelled.Household,
            LeadAgencyId = leadAgencyId,
            Location = travelled.Location,
            LocationSecrecy = package.LocationSecrecy,
            Notes = travelled.Notes,
        };
    }

    /// <summary>Every entry of the package as a <c>transferred</c> entry, coordinators only (<see cref="EntryScope.CoordinatorsOnly"/>,
    /// written by the partner council, an agency no member belongs to). An entry a crashed attempt wrote is there already.</summary>
    private async Task<IReadOnlyList<ImportedTransferEntry>> ImportEntriesAsync(string caseId, string senderCode, string messageId, TransferPackage package, CancellationToken cancellationToken)
    {
        var imported = new List<ImportedTransferEntry>();
        foreach (var entry in package.Timeline)
        {
            var entryId = EntryIds.ForTransferred(caseId, entry.EntryId);
            var origin = new TransferOrigin(senderCode, messageId, entry.EntryId, entry.At, package.ReferrerSecrecy ? null : entry.AuthorAgencyName);
            var stored = new StoredEntry(
                caseId,
                entryId,
                EntryType.Transferred,
                ReceivedAt: entry.At, // its place on the timeline: when it happened at the sender
                ObservedAt: entry.At,
                new EntryAuthor(EntryAuthor.Partner, senderCode, EntryAuthor.PartnerAgency(senderCode)),
                EntryScope.CoordinatorsOnly,
                Version: 1,
                Text: null,
                Report: null,
                Comment: null,
                CaseChange: null,
                Redaction: null)
            {
                Transferred = new TransferredDetails(entry.Kind, ReceivingContent.Of(entry.Content), origin),
            };
            await entries.AddAsync(stored, [], cancellationToken); // false: written by an attempt that crashed later
            imported.Add(new ImportedTransferEntry(entry.EntryId, entryId, entry.Files));
        }

        return imported;
    }

    private async Task ReleaseAsync(IncomingTransferEntity row, CancellationToken cancellationToken)
    {
        row.State = row.StateBeforeAccepting ?? IncomingTransferStates.Received;
        row.StateBeforeAccepting = null;
        row.CaseId = null;
        row.AcceptedAt = null;
        row.AcceptedBy = null;
        await store.ReplaceAsync(row, cancellationToken); // lost to another request: that one decides
    }
}

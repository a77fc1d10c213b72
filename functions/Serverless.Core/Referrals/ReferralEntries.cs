using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;

namespace Serverless.Referrals;

/// <summary>
/// Puts a referral and its safety confirmations on the timeline of the case it became part of. Each entry's id is the
/// referral's or the confirmation's own, so writing it again (a decision retried after a crash) stores nothing twice.
/// What reaches the case is what its members may read: the coordinator's summary, never the referrer, the submitting
/// agency or the narrative.
/// </summary>
public sealed class ReferralEntries(EntryStore entries, EntryEvents events)
{
    /// <summary>The referral as the case's first entry (placed at its receipt), written by the deciding coordinator.</summary>
    public async Task AddReferralAsync(string caseId, StoredReferral referral, string summary, Caller decider, CancellationToken cancellationToken)
    {
        var entry = new StoredEntry(
            caseId,
            referral.ReferralId,
            EntryType.Referral,
            referral.ReceivedAt,
            referral.Content.ObservedAt,
            new EntryAuthor(EntryAuthor.Person, decider.Id, decider.AgencyId),
            EntryScope.AllParticipants,
            Version: 1,
            summary.Trim(),
            Report: null,
            Comment: null,
            CaseChange: null,
            Redaction: null)
        {
            Referral = new ReferralEntryDetails(referral.Kind),
            VersionAt = referral.ReceivedAt,
            VersionBy = decider.Id,
        };
        await AddOnceAsync(entry, cancellationToken);
    }

    /// <summary>A sighting of the child on the case's timeline. Under location secrecy where it happened may say where
    /// the child lives: then coordinators only.</summary>
    public async Task AddConfirmationAsync(string caseId, bool locationSecrecy, StoredReferral referral, SafetyConfirmation confirmation, string recorderAgencyId, CancellationToken cancellationToken)
    {
        var entry = new StoredEntry(
            caseId,
            confirmation.ConfirmationId,
            EntryType.SafetyConfirmation,
            confirmation.RecordedAt,
            confirmation.SeenAt,
            new EntryAuthor(EntryAuthor.Person, confirmation.RecordedBy, recorderAgencyId),
            locationSecrecy ? EntryScope.CoordinatorsOnly : EntryScope.AllParticipants,
            Version: 1,
            confirmation.Condition,
            Report: null,
            Comment: null,
            CaseChange: null,
            Redaction: null)
        {
            Sighting = new SightingDetails(referral.ReferralId, confirmation.Method, confirmation.SeenBy, confirmation.InjurySeen, confirmation.Place),
            VersionAt = confirmation.RecordedAt,
            VersionBy = confirmation.RecordedBy,
        };
        await AddOnceAsync(entry, cancellationToken);
    }

    private async Task AddOnceAsync(StoredEntry entry, CancellationToken cancellationToken)
    {
        // Already there (a retry): nothing to add and nothing to send again (its announcement is removed once handled).
        await events.AnnounceAsync(entry, cancellationToken);
        if (await entries.AddAsync(entry, [], cancellationToken))
        {
            await events.SendAsync(entry);
        }
    }
}

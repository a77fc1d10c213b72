using Microsoft.Extensions.Options;

namespace Serverless.Audit;

/// <summary>
/// Completes the audit trail of an instance just restored from a backup. A request that was running while
/// the backup read <c>AuditLog</c> left its intent in the backup and its outcome outside it; in the restored
/// instance the verifier would report that intent as <c>intent-without-outcome</c> for ever. Each such intent
/// gets an outcome <see cref="AuditOutcome.NotInBackup"/>, which says exactly that.
/// </summary>
/// <remarks>
/// Only intents written from the settle delay before the backup started are closed (an HTTP request lasts
/// minutes at most). An older open intent is a request that crashed: the verifier reported it in the source
/// instance too, and the restore must not hide it. The backup's start is the backup id, taken on the clock of
/// whoever ran it (the app itself for the daily backup), so clocks that differ by more than the settle delay
/// could leave an in-flight intent open: the verifier then reports it, nothing is hidden.
/// </remarks>
public sealed class AuditRestoreCompletion(AuditTables tables, IAuditTrail audit, IOptions<AuditOptions> options)
{
    /// <returns>How many intents were closed.</returns>
    public async Task<int> CloseInFlightAsync(DateTimeOffset backupStartedAt, CancellationToken cancellationToken)
    {
        // An outcome is written after its intent, so both of a request in flight fall in this range.
        var since = AuditEntryIds.TicksKey(backupStartedAt - options.Value.SettleDelay);
        var intents = new List<AuditEntryEntity>();
        var answered = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var entry in tables.Log.QueryAsync<AuditEntryEntity>(AuditTables.EntryRangeFilter(since, null, null, fromInclusive: true), cancellationToken: cancellationToken))
        {
            switch (entry.Kind)
            {
                case AuditEntryKinds.Intent:
                    intents.Add(entry);
                    break;
                case AuditEntryKinds.Outcome when entry.IntentId is { } intentId:
                    answered.Add(intentId);
                    break;
            }
        }

        var inFlight = intents.Where(entry => !answered.Contains(entry.RowKey)).ToList();
        foreach (var entry in inFlight)
        {
            var actor = new AuditActor(
                Enum.TryParse<AuditActorKind>(entry.ActorKind, out var kind) ? kind : AuditActorKind.Anonymous, entry.ActorId, entry.AgencyId, entry.Role);
            var intent = new AuditIntent(entry.RowKey, actor, new AuditRequest(entry.RequestId, entry.ClientAddress), entry.Action, entry.CaseId, entry.EntryId, entry.At);
            await audit.CompleteAsync(intent, actor, AuditOutcome.NotInBackup, [], entry.BreakGlass, cancellationToken);
        }

        return inFlight.Count;
    }
}

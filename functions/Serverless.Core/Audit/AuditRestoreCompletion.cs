using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Serverless.Audit;

/// <summary>
/// Completes the audit trail of an instance just restored from a backup. A request that was running while
/// the backup read <c>AuditLog</c> left its intent in the backup and its outcome outside it; in the restored
/// instance the verifier would report that intent as <c>intent-without-outcome</c> for ever. Each such intent
/// gets an outcome <see cref="AuditOutcome.NotInBackup"/>, which says exactly that.
/// </summary>
/// <remarks>
/// Only intents within the settle delay of the newest entry in the restored log are closed (the backup's own
/// export event is among the newest, so that entry marks when the log was copied, on the clock that wrote the
/// entries). An older open intent is a request that crashed: the verifier reported it in the source instance
/// too, and the restore must not hide it.
/// </remarks>
public sealed class AuditRestoreCompletion(IAuditTrail audit, IOptions<AuditOptions> options)
{
    /// <returns>How many intents were closed.</returns>
    public async Task<int> CloseInFlightAsync(IReadOnlyCollection<TableEntity> restoredLog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(restoredLog);
        var copiedAt = restoredLog.Select(entry => entry.GetDateTimeOffset(nameof(AuditEntryEntity.At))).Max();
        if (copiedAt is null)
        {
            return 0;
        }

        var answered = restoredLog
            .Where(entry => entry.GetString(nameof(AuditEntryEntity.Kind)) == AuditEntryKinds.Outcome)
            .Select(entry => entry.GetString(nameof(AuditEntryEntity.IntentId)))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var settling = copiedAt.Value - options.Value.SettleDelay;
        var inFlight = restoredLog
            .Where(entry => entry.GetString(nameof(AuditEntryEntity.Kind)) == AuditEntryKinds.Intent
                && !answered.Contains(entry.RowKey)
                && entry.GetDateTimeOffset(nameof(AuditEntryEntity.At)) >= settling)
            .OrderBy(entry => entry.RowKey, StringComparer.Ordinal)
            .ToList();

        foreach (var entry in inFlight)
        {
            var actor = new AuditActor(
                Enum.TryParse<AuditActorKind>(entry.GetString(nameof(AuditEntryEntity.ActorKind)), out var kind) ? kind : AuditActorKind.Anonymous,
                entry.GetString(nameof(AuditEntryEntity.ActorId)),
                entry.GetString(nameof(AuditEntryEntity.AgencyId)),
                entry.GetString(nameof(AuditEntryEntity.Role)));
            var intent = new AuditIntent(
                entry.RowKey,
                actor,
                new AuditRequest(entry.GetString(nameof(AuditEntryEntity.RequestId)) ?? "", entry.GetString(nameof(AuditEntryEntity.ClientAddress))),
                entry.GetString(nameof(AuditEntryEntity.Action)) ?? "",
                entry.GetString(nameof(AuditEntryEntity.CaseId)),
                entry.GetString(nameof(AuditEntryEntity.EntryId)),
                entry.GetDateTimeOffset(nameof(AuditEntryEntity.At)) ?? default);
            await audit.CompleteAsync(intent, actor, AuditOutcome.NotInBackup, [], entry.GetBoolean(nameof(AuditEntryEntity.BreakGlass)) ?? false, cancellationToken);
        }

        return inFlight.Count;
    }
}

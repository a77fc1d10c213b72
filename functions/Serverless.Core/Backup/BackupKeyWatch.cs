using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Identity.People;
using Serverless.Notifications;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Backup;

/// <summary>What the app found when it compared <c>Backup:RecipientPublicKey</c> with the one it saw last.</summary>
public enum BackupKeyWatchOutcome
{
    /// <summary>The first start that looked: the fingerprint is stored, nobody is told.</summary>
    FirstSeen,
    Unchanged,

    /// <summary>Another key (or none, or one where there was none): audited and every coordinator told.</summary>
    Changed,
}

/// <summary>
/// Anyone who can write app settings (a resource-group Contributor) can point the daily backup at a public key of
/// their own and then read every backup. The activity log shows only that a setting changed, so the app keeps the
/// SHA-256 fingerprint of the key it started with last, and on a change audits it as
/// <see cref="AuditActions.BackupRecipientKeyChange"/> (old and new fingerprints only, their first 128 bits, in the request id) and puts an
/// urgent <see cref="KindChanged"/> notification in every coordinator's inbox. Two instances starting at once record
/// it once: the fingerprint row is replaced with its ETag, and the loser re-reads it.
/// </summary>
/// <remarks>The row lives in a table of its own that is not declared for backup: it describes this deployment, and a
/// restore (which needs an empty instance) must not find it.</remarks>
public sealed class BackupKeyWatch(
    StorageClients clients,
    StorageNames names,
    IOptions<BackupOptions> options,
    IAuditTrail audit,
    PeopleDirectory people,
    NotificationInbox inbox,
    TimeProvider clock,
    ILogger<BackupKeyWatch> logger) : IHostedService
{
    public const string TableName = "BackupKeyWatch";
    public const string KindChanged = "backup-key-changed";
    public const string ActorId = "app-backup-key-watch";
    private const string Partition = "backup";
    private const string Row = "recipient-key";
    private const string NoKey = "none";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CheckAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "The backup recipient key could not be compared with the last one seen; the next start tries again");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<BackupKeyWatchOutcome> CheckAsync(CancellationToken cancellationToken)
    {
        var current = Fingerprint(options.Value.RecipientPublicKey);
        var table = clients.Tables.GetTableClient(names.Table(TableName));
        await table.CreateIfNotExistsAsync(cancellationToken);
        while (true)
        {
            var stored = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
            if (!stored.HasValue)
            {
                try
                {
                    await table.AddEntityAsync(new TableEntity(Partition, Row) { ["Fingerprint"] = current, ["SeenAt"] = clock.GetUtcNow() }, cancellationToken);
                    logger.LogInformation("Backup recipient key sha256:{Fingerprint} recorded", current);
                    return BackupKeyWatchOutcome.FirstSeen;
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    continue; // another instance recorded it first
                }
            }

            var row = stored.Value!;
            var previous = row.GetString("Fingerprint") ?? NoKey;
            if (previous == current)
            {
                return BackupKeyWatchOutcome.Unchanged;
            }

            var now = clock.GetUtcNow();
            row["Fingerprint"] = current;
            row["PreviousFingerprint"] = previous;
            row["SeenAt"] = now;
            try
            {
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                continue; // another instance got there first, and told everyone
            }

            await TellAsync(previous, current, now, cancellationToken);
            return BackupKeyWatchOutcome.Changed;
        }
    }

    private async Task TellAsync(string previous, string current, DateTimeOffset now, CancellationToken cancellationToken)
    {
        logger.LogWarning("Backup recipient key changed from sha256:{Previous} to sha256:{Current}; coordinators notified", previous, current);
        await audit.RecordAsync(
            new AuditActor(AuditActorKind.System, ActorId, null, null),
            // Request ids hold at most 128 characters: the first 128 bits of each fingerprint (the whole ones are in the log
            // and in the watch row).
            new AuditRequest($"backup-key:{Short(previous)}:{Short(current)}", null),
            AuditActions.BackupRecipientKeyChange,
            caseId: null,
            AuditOutcome.Succeeded,
            cancellationToken);
        var coordinators = await people.CoordinatorsOnAsync(JapanTime.Today(clock), cancellationToken);
        await inbox.SendOnceAsync(
            coordinators,
            new Notification(NotificationInbox.IdFor(now, "backup-key/" + current), KindChanged, "", null, NotificationKinds.SystemActor, "", now, Urgent: true),
            cancellationToken);
    }

    private static string Short(string fingerprint) => fingerprint.Length > 32 ? fingerprint[..32] : fingerprint;

    /// <summary>The SHA-256 of the key as <see cref="BackupEnvelope.Fingerprint"/> spells it; "none" when unset or unreadable.</summary>
    private static string Fingerprint(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return NoKey;
        }

        try
        {
            using var key = BackupEnvelope.ImportPublicKey(pem, "Backup:RecipientPublicKey");
            return BackupEnvelope.Fingerprint(key);
        }
        catch (BackupKeyException)
        {
            return NoKey; // refused at start-up by BackupOptions anyway
        }
    }
}

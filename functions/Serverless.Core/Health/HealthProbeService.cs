using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Serverless.Queues;
using Serverless.Storage;

namespace Serverless.Health;

/// <summary>
/// Sends and completes queue round-trip probes. Completing is an idempotent upsert keyed by the
/// probe id, so a message delivered twice records the same row twice.
/// </summary>
public sealed partial class HealthProbeService(StorageClients clients, StorageNames names, WorkQueue workQueue, TimeProvider clock)
{
    public const string Queue = "health-probes";
    public const string TableName = "HealthProbes";
    private const string Partition = "probe";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public static string NewProbeId() => Guid.NewGuid().ToString("N");

    public Task SendAsync(string probeId, CancellationToken cancellationToken)
        => workQueue.SendAsync(Queue, HealthProbeMessage.Create(RequireProbeId(probeId)), cancellationToken);

    /// <summary>Handles one probe message; unreadable ones throw and end as dead letters.</summary>
    public async Task CompleteAsync(string messageText, CancellationToken cancellationToken)
    {
        var message = QueueMessageJson.Read<HealthProbeMessage>(messageText, HealthProbeMessage.CurrentSchemaVersion);
        if (!ProbeIdShape().IsMatch(message.ProbeId))
        {
            throw new UnreadableMessageException("A probe id is 32 lowercase hexadecimal characters.");
        }

        var probeId = message.ProbeId;
        var row = new TableEntity(Partition, probeId)
        {
            ["SchemaVersion"] = 1,
            ["CompletedAt"] = clock.GetUtcNow(),
        };
        await Table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<DateTimeOffset?> CompletedAtAsync(string probeId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, RequireProbeId(probeId), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetDateTimeOffset("CompletedAt") : null;
    }

    private static string RequireProbeId(string? probeId)
        => probeId is not null && ProbeIdShape().IsMatch(probeId)
            ? probeId
            : throw new ArgumentException("A probe id is 32 lowercase hexadecimal characters.", nameof(probeId));

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex ProbeIdShape();
}

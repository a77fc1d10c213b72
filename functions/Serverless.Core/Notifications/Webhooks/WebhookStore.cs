using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Notifications.Webhooks;

/// <summary>The <c>Webhooks</c> table (<see cref="WebhookEntity"/>).</summary>
public sealed class WebhookStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "Webhooks";

    private const int UpdateAttempts = 5;

    /// <summary>Attempts as stored: outcomes by name (<c>http-error</c>), never as numbers.</summary>
    private static readonly JsonSerializerOptions AttemptJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false) },
    };

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>One point read.</summary>
    public async Task<WebhookEntity?> FindAsync(string agencyId, string name, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<WebhookEntity>(agencyId, name, cancellationToken: cancellationToken);
        return row.HasValue ? EnsureReadable(row.Value!) : null;
    }

    /// <summary>The agency's webhooks: one partition query.</summary>
    public async Task<IReadOnlyList<WebhookEntity>> ListAsync(string agencyId, CancellationToken cancellationToken)
    {
        var rows = new List<WebhookEntity>();
        await foreach (var row in Table.QueryAsync<WebhookEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {agencyId}"), cancellationToken: cancellationToken))
        {
            rows.Add(EnsureReadable(row));
        }

        return rows;
    }

    /// <summary>The enabled webhooks (agency, name) of these agencies: one query of the table, keys and state only (no
    /// sealed value is read). The table is small: at most <see cref="WebhookLimits"/> per agency.</summary>
    public async Task<IReadOnlyList<(string AgencyId, string Name)>> EnabledOfAsync(IReadOnlySet<string> agencyIds, CancellationToken cancellationToken)
    {
        var found = new List<(string, string)>();
        await foreach (var row in Table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", nameof(WebhookEntity.DisabledAt)], cancellationToken: cancellationToken))
        {
            if (agencyIds.Contains(row.PartitionKey) && row.GetDateTimeOffset(nameof(WebhookEntity.DisabledAt)) is null)
            {
                found.Add((row.PartitionKey, row.RowKey));
            }
        }

        return found;
    }

    /// <summary>Inserts a new webhook; false when the name is taken.</summary>
    public async Task<bool> TryAddAsync(WebhookEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Replaces a webhook with the ETag it was read with; false when someone changed or deleted it first.</summary>
    public async Task<bool> TryReplaceAsync(WebhookEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>Deletes a webhook with the ETag it was read with; false when it changed meanwhile.</summary>
    public async Task<bool> TryDeleteAsync(WebhookEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Adds an attempt to the webhook's recent ones (newest first, the last <see cref="WebhookLimits.AttemptsKept"/>),
    /// disabling it when the receiver said it is gone. Read and replace with the ETag, again when a concurrent
    /// delivery or an admin changed the row first. False when the webhook no longer exists.
    /// </summary>
    public async Task<bool> RecordAttemptAsync(string agencyId, string name, WebhookAttempt attempt, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < UpdateAttempts; tries++)
        {
            var row = await FindAsync(agencyId, name, cancellationToken);
            if (row is null)
            {
                return false;
            }

            row.RecentAttempts = JsonSerializer.Serialize(Attempts(row).Prepend(attempt).Take(WebhookLimits.AttemptsKept).ToList(), AttemptJson);
            if (attempt.Outcome == WebhookOutcome.Gone)
            {
                row.DisabledAt ??= attempt.At;
            }

            if (await TryReplaceAsync(row, cancellationToken))
            {
                return true;
            }
        }

        throw new InvalidOperationException($"Webhook {name} of agency {agencyId} kept changing while an attempt was recorded.");
    }

    public static IReadOnlyList<WebhookAttempt> Attempts(WebhookEntity row)
        => string.IsNullOrEmpty(row.RecentAttempts) ? [] : JsonSerializer.Deserialize<List<WebhookAttempt>>(row.RecentAttempts, AttemptJson) ?? [];

    private static WebhookEntity EnsureReadable(WebhookEntity row)
        => row.SchemaVersion > WebhookEntity.CurrentSchemaVersion
            ? throw new InvalidOperationException($"Webhook {row.RowKey} of agency {row.PartitionKey} has schema version {row.SchemaVersion}, newer than this release reads.")
            : row;
}

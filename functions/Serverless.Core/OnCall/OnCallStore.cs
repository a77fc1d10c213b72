using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Cases;
using Serverless.Storage;

namespace Serverless.OnCall;

/// <summary>
/// The council's one on-call schedule, in one row: every read is one point read, and every save names the
/// storage ETag it read (insert-only for the first), so of two coordinators saving at once exactly one wins.
/// </summary>
public sealed class OnCallStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "OnCall";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>The schedule, or null before anyone saved one.</summary>
    public async Task<StoredOnCall?> GetAsync(CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<OnCallEntity>(OnCallEntity.Partition, OnCallEntity.Row, cancellationToken: cancellationToken);
        return row.HasValue ? ToStored(row.Value!) : null;
    }

    /// <summary>
    /// Saves <paramref name="schedule"/> as the version after <paramref name="basedOn"/> (the first when null).
    /// Returns the saved state, or null when another save got there first (the caller answers 412).
    /// </summary>
    public async Task<StoredOnCall?> SaveAsync(StoredOnCall? basedOn, OnCallSchedule schedule, string updatedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new OnCallEntity { Version = (basedOn?.Version ?? 0) + 1, UpdatedAt = now, UpdatedBy = updatedBy };
        row.SetScheduleJson(Serialize(schedule));
        try
        {
            var response = basedOn is null
                ? await Table.AddEntityAsync(row, cancellationToken)
                : await Table.UpdateEntityAsync(row, basedOn.StorageETag, TableUpdateMode.Replace, cancellationToken);
            return new StoredOnCall(schedule, row.Version, now, updatedBy, response.Headers.ETag ?? default);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return null;
        }
    }

    public static string Serialize(OnCallSchedule schedule) => JsonSerializer.Serialize(schedule, CaseJson.Options);

    private static StoredOnCall ToStored(OnCallEntity row)
        => new(Deserialize(row.GetScheduleJson()), row.Version, row.UpdatedAt, row.UpdatedBy, row.ETag);

    private static OnCallSchedule Deserialize(string json)
        => JsonSerializer.Deserialize<OnCallSchedule>(json, CaseJson.Options) ?? throw new InvalidDataException("The stored on-call schedule is empty.");
}

using System.Globalization;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Agencies;

/// <summary>
/// Reads and registers agencies. A council has tens of agencies, so they fit in one partition and a
/// case's validation reads them all with one query.
/// </summary>
public sealed class AgencyDirectory(StorageClients clients, StorageNames names)
{
    public const string TableName = "Agencies";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public async Task<Agency?> FindAsync(string agencyId, CancellationToken cancellationToken)
    {
        if (!AgencyIds.IsValid(agencyId))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<AgencyEntity>(AgencyEntity.Partition, agencyId, cancellationToken: cancellationToken);
        return row.HasValue ? ToAgency(row.Value!) : null;
    }

    /// <summary>Every agency, keyed by id: one partition query (a council has tens of agencies).</summary>
    public async Task<IReadOnlyDictionary<string, Agency>> AllAsync(CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, Agency>(StringComparer.Ordinal);
        await foreach (var row in Table.QueryAsync<AgencyEntity>(entity => entity.PartitionKey == AgencyEntity.Partition, cancellationToken: cancellationToken))
        {
            all[row.RowKey] = ToAgency(row);
        }

        return all;
    }

    /// <summary>Adds or replaces an agency (admins, through <c>PUT /api/admin/agencies/{agencyId}</c>).</summary>
    public async Task SaveAsync(Agency agency, CancellationToken cancellationToken)
    {
        if (!AgencyIds.IsValid(agency.AgencyId))
        {
            throw new ArgumentException("An agency id is 3 to 40 lowercase letters, digits or dashes.", nameof(agency));
        }

        var entity = new AgencyEntity
        {
            RowKey = agency.AgencyId,
            Name = agency.Name,
            Kind = agency.Kind.ToString(),
            IsCouncilMember = agency.IsCouncilMember,
            ConfidentialityAcknowledgedOn = agency.ConfidentialityAcknowledgedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        await Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    private static Agency ToAgency(AgencyEntity entity)
        => new(
            entity.RowKey,
            entity.Name,
            Enum.Parse<AgencyKind>(entity.Kind),
            entity.IsCouncilMember,
            entity.ConfidentialityAcknowledgedOn is { } day ? DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
}

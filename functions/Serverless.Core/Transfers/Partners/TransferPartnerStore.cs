using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.Partners;

/// <summary>
/// The <c>TransferPartners</c> table. Every change names the storage ETag it read (insert-only for a new partner),
/// so a confirmation never lands on keys changed meanwhile: of a change and a confirmation at once, one wins.
/// </summary>
public sealed class TransferPartnerStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "TransferPartners";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public async Task<TransferPartnerEntity?> GetAsync(string municipalityCode, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TransferPartnerEntity>(TransferPartnerEntity.Partition, municipalityCode, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    /// <summary>The partner when it is registered and confirmed at its current version; null otherwise (a sender
    /// or receiver that is not confirmed is treated exactly as an unknown one).</summary>
    public async Task<TransferPartner?> ConfirmedAsync(string municipalityCode, CancellationToken cancellationToken)
        => MunicipalityCode.IsValid(municipalityCode) && await GetAsync(municipalityCode, cancellationToken) is { } row && row.ToPartner() is { Confirmed: true } partner
            ? partner
            : null;

    public async Task<IReadOnlyList<TransferPartner>> AllAsync(CancellationToken cancellationToken)
    {
        var partners = new List<TransferPartner>();
        await foreach (var row in Table.QueryAsync<TransferPartnerEntity>(row => row.PartitionKey == TransferPartnerEntity.Partition, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            partners.Add(row.ToPartner());
        }

        return partners;
    }

    /// <summary>Writes <paramref name="row"/>: an insert when its ETag is empty, else a replace at that ETag. False when
    /// someone else wrote first (the caller reads again).</summary>
    public async Task<bool> SaveAsync(TransferPartnerEntity row, CancellationToken cancellationToken)
    {
        try
        {
            if (row.ETag == default)
            {
                await Table.AddEntityAsync(row, cancellationToken);
            }
            else
            {
                await Table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }
}

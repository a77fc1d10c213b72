using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Cases.BreakGlass;

/// <summary>
/// Break-glass grants, one partition per case: whether a person holds an active grant is one query
/// of a partition that holds a handful of rows, made only when ordinary access has already said no.
/// </summary>
public sealed class BreakGlassGrants(StorageClients clients, StorageNames names)
{
    public const string TableName = "BreakGlassGrants";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public async Task<bool> HasActiveGrantAsync(string caseId, string personId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await foreach (var row in Table.QueryAsync<BreakGlassEntity>(entity => entity.PartitionKey == caseId && entity.PersonId == personId && entity.ExpiresAt > now, cancellationToken: cancellationToken))
        {
            if (ToGrant(row).IsActiveAt(now))
            {
                return true;
            }
        }

        return false;
    }

    public async Task AddAsync(BreakGlassGrant grant, CancellationToken cancellationToken)
        => await Table.AddEntityAsync(ToEntity(grant), cancellationToken);

    public async Task<(BreakGlassGrant Grant, ETag ETag)?> FindAsync(string caseId, string grantId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<BreakGlassEntity>(caseId, grantId, cancellationToken: cancellationToken);
        return row.HasValue ? (ToGrant(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Records the review. False when the grant changed meanwhile (someone else reviewed it).</summary>
    public async Task<bool> SaveReviewAsync(BreakGlassGrant reviewed, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(reviewed), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return false;
        }
    }

    /// <summary>Grants not yet reviewed, oldest first (the whole table is read: grants are rare).</summary>
    public async Task<IReadOnlyList<BreakGlassGrant>> AwaitingReviewAsync(CancellationToken cancellationToken)
    {
        var grants = new List<BreakGlassGrant>();
        await foreach (var row in Table.QueryAsync<BreakGlassEntity>(entity => entity.ReviewedAt == null, cancellationToken: cancellationToken))
        {
            grants.Add(ToGrant(row));
        }

        return [.. grants.OrderBy(grant => grant.OpenedAt)];
    }

    /// <summary>Grant ids sort by opening time: UTC ticks, then 8 random hex characters.</summary>
    public static string NewGrantId(DateTimeOffset openedAt)
        => openedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    /// <summary>The shape <see cref="NewGrantId"/> makes: 19 digits, a dash, 8 lower-case hex characters. Anything else is
    /// refused before it reaches a table key (a path id is the caller's text, and storage logs its request URLs).</summary>
    public static bool IsGrantId(string? id)
        => id is { Length: 28 } && id[19] == '-' && id.AsSpan(0, 19).ContainsAnyExceptInRange('0', '9') is false
            && id.AsSpan(20).ContainsAnyExcept("0123456789abcdef") is false;

    private static BreakGlassEntity ToEntity(BreakGlassGrant grant)
        => new()
        {
            PartitionKey = grant.CaseId,
            RowKey = grant.GrantId,
            PersonId = grant.PersonId,
            AgencyId = grant.AgencyId,
            Reason = grant.Reason,
            OpenedAt = grant.OpenedAt,
            ExpiresAt = grant.ExpiresAt,
            ReviewedBy = grant.ReviewedBy,
            ReviewedAt = grant.ReviewedAt,
            Finding = grant.Finding,
        };

    private static BreakGlassGrant ToGrant(BreakGlassEntity row)
        => new(row.RowKey, row.PartitionKey, row.PersonId, row.AgencyId, row.Reason, row.OpenedAt, row.ExpiresAt, row.ReviewedBy, row.ReviewedAt, row.Finding);
}

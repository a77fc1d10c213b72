using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Cases.Disposal;

/// <summary>One legal hold on a case: partition the case id, row time-ordered. Released holds stay as history
/// until the case itself is disposed of.</summary>
public sealed class LegalHoldEntity : ITableEntity, ISchemaVersioned
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string PlacedBy { get; set; } = "";

    public DateTimeOffset PlacedAt { get; set; }

    public string Reason { get; set; } = "";

    public string? ReleasedBy { get; set; }

    public DateTimeOffset? ReleasedAt { get; set; }

    public string? ReleaseReason { get; set; }

    /// <summary>A proposed release waiting for a second coordinator (<see cref="Identity.TwoCoordinators"/>).</summary>
    public string? ReleaseProposedBy { get; set; }

    public DateTimeOffset? ReleaseProposedAt { get; set; }

    public string? ReleaseProposedReason { get; set; }
}

/// <summary>A legal hold (訴訟・開示請求・監査などによる保全): while one is in force the case cannot be proposed,
/// approved or disposed of. Kept apart from the case record so placing one never changes the case's version.</summary>
public sealed record LegalHold(string HoldId, string CaseId, string PlacedBy, DateTimeOffset PlacedAt, string Reason, string? ReleasedBy = null, DateTimeOffset? ReleasedAt = null, string? ReleaseReason = null, ReleaseProposal? ReleaseProposal = null)
{
    public bool InForce => ReleasedAt is null;
}

/// <summary>A coordinator's proposal to release a hold, with the reason; a different coordinator confirms it before it lapses.</summary>
public sealed record ReleaseProposal(string ProposedBy, DateTimeOffset ProposedAt, string Reason)
{
    public DateTimeOffset ExpiresAt => ProposedAt + Identity.TwoCoordinators.ProposalLifetime;
}

/// <summary>Legal holds, one small partition per case: "is this case held?" is one partition query.</summary>
public sealed class LegalHolds(StorageClients clients, StorageNames names)
{
    public const string TableName = "LegalHolds";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>The hold in force on the case, with its ETag, or null (one point read). A missing table throws: "no hold"
    /// lets a case be erased, so it is never inferred from a table deleted by mistake (<see cref="TableReads"/>).</summary>
    public async Task<(LegalHold Hold, ETag ETag)?> InForceAsync(string caseId, CancellationToken cancellationToken)
        => await Table.GetRowOrNullAsync<LegalHoldEntity>(caseId, CurrentRow, cancellationToken: cancellationToken) is { } row
            ? (ToHold(row), row.ETag)
            : null;

    /// <summary>Adds the hold. The row key is fixed while a hold is in force ("held"), so of two coordinators placing
    /// one at the same moment exactly one succeeds; a released hold moves to a time-ordered row.</summary>
    public async Task<bool> AddAsync(LegalHold hold, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(ToEntity(hold), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Records a proposal to release the hold (the hold stays in force). False when it changed meanwhile.</summary>
    public async Task<bool> ProposeReleaseAsync(LegalHold proposed, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await Table.UpdateEntityAsync(ToEntity(proposed), etag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>
    /// Releases the hold. The "held" row is first marked released with its ETag, so of two confirmations at once exactly
    /// one goes on; then the released copy is written under its own time-ordered row and the "held" row deleted. A crash
    /// in between leaves the "held" row (the case stays held, never silently released); confirming again finishes it.
    /// </summary>
    public async Task<bool> ReleaseAsync(LegalHold released, ETag etag, CancellationToken cancellationToken)
    {
        ETag marked;
        try
        {
            marked = (await Table.UpdateEntityAsync(ToEntity(released with { HoldId = CurrentRow }), etag, TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? ETag.All;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }

        var history = released with { HoldId = released.PlacedAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture), ReleaseProposal = null };
        await Table.UpsertEntityAsync(ToEntity(history), TableUpdateMode.Replace, cancellationToken);
        try
        {
            await Table.DeleteEntityAsync(released.CaseId, CurrentRow, marked, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    public const string CurrentRow = "held";

    private static LegalHoldEntity ToEntity(LegalHold hold)
        => new()
        {
            PartitionKey = hold.CaseId,
            RowKey = hold.HoldId,
            PlacedBy = hold.PlacedBy,
            PlacedAt = hold.PlacedAt,
            Reason = hold.Reason,
            ReleasedBy = hold.ReleasedBy,
            ReleasedAt = hold.ReleasedAt,
            ReleaseReason = hold.ReleaseReason,
            ReleaseProposedBy = hold.ReleaseProposal?.ProposedBy,
            ReleaseProposedAt = hold.ReleaseProposal?.ProposedAt,
            ReleaseProposedReason = hold.ReleaseProposal?.Reason,
        };

    private static LegalHold ToHold(LegalHoldEntity row)
        => new(
            row.RowKey,
            row.PartitionKey,
            row.PlacedBy,
            row.PlacedAt,
            row.Reason,
            row.ReleasedBy,
            row.ReleasedAt,
            row.ReleaseReason,
            row.ReleaseProposedBy is { } proposedBy && row.ReleaseProposedAt is { } proposedAt ? new ReleaseProposal(proposedBy, proposedAt, row.ReleaseProposedReason ?? "") : null);
}

using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Cases.Disposal;

public enum DisposalState
{
    Proposed,
    Approved,
    Withdrawn,
    Disposed,
}

/// <summary>A disposal (廃棄) of one case: partition <c>disposal</c>, row the case id. Disposals are few, so the
/// plan reads the one partition. The register (partition <c>register</c>) holds ids and dates only, forever.</summary>
public sealed class DisposalEntity : ITableEntity, ISchemaVersioned
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string State { get; set; } = "";

    public string ProposedBy { get; set; } = "";

    public DateTimeOffset ProposedAt { get; set; }

    public string Reason { get; set; } = "";

    public string RuleReference { get; set; } = "";

    public string? ApprovedBy { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public string? WithdrawnBy { get; set; }

    public DateTimeOffset? WithdrawnAt { get; set; }

    public DateTimeOffset? DisposedAt { get; set; }

    /// <summary>When the app runs the approved disposal: the approval time plus <c>Disposal:ExecutionDelay</c> then.</summary>
    public DateTimeOffset? RunAfter { get; set; }
}

/// <summary>A proposal to dispose of a closed case and what became of it.</summary>
public sealed record CaseDisposal(
    string CaseId,
    DisposalState State,
    string ProposedBy,
    DateTimeOffset ProposedAt,
    string Reason,
    string RuleReference,
    string? ApprovedBy = null,
    DateTimeOffset? ApprovedAt = null,
    string? WithdrawnBy = null,
    DateTimeOffset? WithdrawnAt = null,
    DateTimeOffset? DisposedAt = null,
    DateTimeOffset? RunAfter = null)
{
    /// <summary>Whether a new proposal may replace this one (a withdrawn proposal may be proposed again).</summary>
    public bool IsOpen => State is DisposalState.Proposed or DisposalState.Approved;
}

/// <summary>One line of the disposal register: which case went, when, on whose proposal and approval, under which
/// rule. Ids, dates and the rule only: nothing about the child. Never deleted; restores re-apply it.</summary>
public sealed record DisposalRegisterEntry(string CaseId, DateTimeOffset DisposedAt, string ProposedBy, string ApprovedBy, string RuleReference);

public sealed class Disposals(StorageClients clients, StorageNames names)
{
    public const string TableName = "Disposals";
    public const string DisposalPartition = "disposal";
    public const string RegisterPartition = "register";

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public async Task<(CaseDisposal Disposal, ETag ETag)?> FindAsync(string caseId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<DisposalEntity>(DisposalPartition, caseId, cancellationToken: cancellationToken);
        return row.HasValue ? (ToDisposal(row.Value!), row.Value!.ETag) : null;
    }

    /// <summary>Adds a proposal, or replaces a withdrawn one (with its ETag). False when another writer got there first.</summary>
    public async Task<bool> SaveAsync(CaseDisposal disposal, ETag? etag, CancellationToken cancellationToken)
    {
        try
        {
            if (etag is { } match)
            {
                await Table.UpdateEntityAsync(ToEntity(disposal), match, TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await Table.AddEntityAsync(ToEntity(disposal), cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<CaseDisposal>> InStateAsync(DisposalState state, CancellationToken cancellationToken)
    {
        var name = state.ToString();
        var found = new List<CaseDisposal>();
        await foreach (var row in Table.QueryAsync<DisposalEntity>(entity => entity.PartitionKey == DisposalPartition && entity.State == name, cancellationToken: cancellationToken))
        {
            found.Add(ToDisposal(row));
        }

        return [.. found.OrderBy(disposal => disposal.ApprovedAt)];
    }

    /// <summary>Writes the register line (idempotent: a rerun writes the same line again).</summary>
    public async Task RegisterAsync(DisposalRegisterEntry entry, CancellationToken cancellationToken)
        => await Table.UpsertEntityAsync(
            new TableEntity(RegisterPartition, entry.CaseId)
            {
                ["SchemaVersion"] = 1,
                ["DisposedAt"] = entry.DisposedAt,
                ["ProposedBy"] = entry.ProposedBy,
                ["ApprovedBy"] = entry.ApprovedBy,
                ["RuleReference"] = entry.RuleReference,
            },
            TableUpdateMode.Replace,
            cancellationToken);

    public async Task<IReadOnlyList<DisposalRegisterEntry>> RegisterAsync(CancellationToken cancellationToken)
    {
        var entries = new List<DisposalRegisterEntry>();
        await foreach (var row in Table.QueryAsync<TableEntity>(entity => entity.PartitionKey == RegisterPartition, cancellationToken: cancellationToken))
        {
            entries.Add(ToRegisterEntry(row));
        }

        return entries;
    }

    /// <summary>The register line of one case, or null when it was never disposed of.</summary>
    public async Task<DisposalRegisterEntry?> RegisterEntryAsync(string caseId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(RegisterPartition, caseId, cancellationToken: cancellationToken);
        return row.HasValue ? ToRegisterEntry(row.Value!) : null;
    }

    private static DisposalRegisterEntry ToRegisterEntry(TableEntity row)
        => new(row.RowKey, row.GetDateTimeOffset("DisposedAt") ?? default, row.GetString("ProposedBy") ?? "", row.GetString("ApprovedBy") ?? "", row.GetString("RuleReference") ?? "");

    private static DisposalEntity ToEntity(CaseDisposal disposal)
        => new()
        {
            PartitionKey = DisposalPartition,
            RowKey = disposal.CaseId,
            State = disposal.State.ToString(),
            ProposedBy = disposal.ProposedBy,
            ProposedAt = disposal.ProposedAt,
            Reason = disposal.Reason,
            RuleReference = disposal.RuleReference,
            ApprovedBy = disposal.ApprovedBy,
            ApprovedAt = disposal.ApprovedAt,
            WithdrawnBy = disposal.WithdrawnBy,
            WithdrawnAt = disposal.WithdrawnAt,
            DisposedAt = disposal.DisposedAt,
            RunAfter = disposal.RunAfter,
        };

    private static CaseDisposal ToDisposal(DisposalEntity row)
        => new(row.RowKey, Enum.Parse<DisposalState>(row.State), row.ProposedBy, row.ProposedAt, row.Reason, row.RuleReference, row.ApprovedBy, row.ApprovedAt, row.WithdrawnBy, row.WithdrawnAt, row.DisposedAt, row.RunAfter);
}

namespace Serverless.Entries;

/// <summary><c>GET /api/cases/{caseId}/timeline</c>: which types (null: all), entries received before a time, a page.</summary>
public sealed record TimelineQuery(IReadOnlyCollection<EntryType>? Types, DateTimeOffset? Before, int PageSize = EntryLimits.DefaultPageSize, string? ContinuationToken = null);

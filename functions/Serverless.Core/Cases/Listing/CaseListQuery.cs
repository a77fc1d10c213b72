namespace Serverless.Cases.Listing;

/// <summary><c>GET /api/cases</c>: one status or one agency at least, so every page is one partition query.</summary>
public sealed record CaseListQuery(CaseStatus? Status, CaseCategory? Category, string? AgencyId, DateOnly? ReviewDueBefore, int PageSize, string? ContinuationToken)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;
}

/// <summary>A page may hold fewer cases than asked (even none) and still have a continuation token:
/// rows the caller may not see are skipped, not counted.</summary>
public sealed record CaseListPage(IReadOnlyList<CaseView> Cases, string? ContinuationToken);

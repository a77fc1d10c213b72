using Serverless.Cases;

namespace Serverless.Council.Ledger;

/// <summary><c>GET /api/ledger</c>: coordinators see every case (by default the open ones, accepted and registered; one status
/// or one agency when asked), members their own agency's. Overdue first: the order is the next review date.</summary>
public sealed record LedgerQuery(CaseStatus? Status, string? AgencyId, DateOnly? ReviewDueBefore, int PageSize, string? ContinuationToken)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 100;
}

/// <summary>One line of the review ledger (進行管理台帳), as the caller may see the case. <paramref name="DaysOverdue"/>: days
/// since the next review date passed (0 when not yet due or undated). <paramref name="LastActivityAt"/>: the last report,
/// comment or file (Japan time). <paramref name="Name"/>: the child's (for an expectant mother before the birth, hers).</summary>
public sealed record LedgerRow(
    string CaseId,
    long Version,
    PersonName? Name,
    CaseCategory Category,
    CaseStatus Status,
    RiskLevel? RiskLevel,
    Urgency? Urgency,
    string LeadAgencyId,
    string? KeyAgencyId,
    LastReview? LastReview,
    DateOnly? NextReviewDate,
    int DaysOverdue,
    DateTimeOffset? LastActivityAt);

/// <summary>A page of the ledger. <paramref name="Today"/> is the day (Japan) the overdue days are counted from. A page may
/// hold fewer cases than asked (cases the caller may not see are skipped) and still continue.</summary>
public sealed record LedgerPage(DateOnly Today, IReadOnlyList<LedgerRow> Cases, string? ContinuationToken);

namespace Serverless.Cases;

/// <summary>A case as the API returns it. <paramref name="LocationWithheld"/> tells the caller that
/// location fields exist but are not theirs to see, so an empty address is not mistaken for "none".
/// <paramref name="BreakGlass"/> is true (and only then present) when the caller sees it only through an
/// emergency grant (audited, reviewed). <paramref name="Transfer"/>: the case's transfer to another council (移管) while one is
/// under way ("transferring"), on a coordinator's read of the case only.</summary>
public sealed record CaseView(string CaseId, long Version, DateTimeOffset CreatedAt, DateTimeOffset ChangedAt, bool LocationWithheld, CaseRecord Record, bool? BreakGlass = null, Transfers.Outgoing.CaseTransferView? Transfer = null);

/// <summary>One version in a case's history, as the caller may see it. <paramref name="ReasonWithheld"/> is true (and only
/// then present) when the version has a reason the caller may not read: it changed the location they may not see, or the
/// case is under location secrecy (as on the timeline).</summary>
public sealed record CaseVersionView(long Version, DateTimeOffset ChangedAt, string ChangedBy, string ChangedByAgency, string? Reason, IReadOnlyList<string> ChangedFields, bool LocationWithheld, CaseRecord Record, bool? ReasonWithheld = null);

public sealed record CaseHistoryPage(string CaseId, IReadOnlyList<CaseVersionView> Versions, string? ContinuationToken, bool? BreakGlass = null);

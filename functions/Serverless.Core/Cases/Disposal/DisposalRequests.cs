namespace Serverless.Cases.Disposal;

/// <summary>Body of <c>POST /api/cases/{caseId}/disposal</c>: why, and under which document rule (e.g. 文書管理規程第○条).</summary>
public sealed record ProposeDisposalRequest(string? Reason = null, string? RuleReference = null);

/// <summary>Body of the legal-hold endpoints: why the hold is placed or released.</summary>
public sealed record LegalHoldRequest(string? Reason = null);

public sealed record DisposalView(string CaseId, string State, string ProposedBy, DateTimeOffset ProposedAt, string Reason, string RuleReference, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? WithdrawnBy, DateTimeOffset? WithdrawnAt, DateTimeOffset? DisposedAt)
{
    public static DisposalView From(CaseDisposal disposal)
        => new(disposal.CaseId, Name(disposal.State), disposal.ProposedBy, disposal.ProposedAt, disposal.Reason, disposal.RuleReference, disposal.ApprovedBy, disposal.ApprovedAt, disposal.WithdrawnBy, disposal.WithdrawnAt, disposal.DisposedAt);

    public static string Name(DisposalState state) => state.ToString().ToLowerInvariant();
}

/// <summary>A referral's disposal: as <see cref="DisposalView"/>, named by the referral's id.</summary>
public sealed record ReferralDisposalView(string ReferralId, string State, string ProposedBy, DateTimeOffset ProposedAt, string Reason, string RuleReference, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? WithdrawnBy, DateTimeOffset? WithdrawnAt, DateTimeOffset? DisposedAt)
{
    public static ReferralDisposalView From(CaseDisposal disposal)
        => new(disposal.CaseId, DisposalView.Name(disposal.State), disposal.ProposedBy, disposal.ProposedAt, disposal.Reason, disposal.RuleReference, disposal.ApprovedBy, disposal.ApprovedAt, disposal.WithdrawnBy, disposal.WithdrawnAt, disposal.DisposedAt);
}

public sealed record LegalHoldView(string CaseId, bool InForce, string PlacedBy, DateTimeOffset PlacedAt, string Reason, string? ReleasedBy, DateTimeOffset? ReleasedAt, string? ReleaseReason, ReleaseProposalView? ReleaseProposal = null)
{
    public static LegalHoldView From(LegalHold hold)
        => new(
            hold.CaseId,
            hold.InForce,
            hold.PlacedBy,
            hold.PlacedAt,
            hold.Reason,
            hold.ReleasedBy,
            hold.ReleasedAt,
            hold.ReleaseReason,
            hold.InForce && hold.ReleaseProposal is { } proposal ? new ReleaseProposalView(proposal.ProposedBy, proposal.ProposedAt, proposal.ExpiresAt, proposal.Reason) : null);
}

/// <summary>A proposed release of a legal hold, until a different coordinator confirms it (<c>POST …/legal-hold/release/confirm</c>)
/// or it lapses at <paramref name="ExpiresAt"/>.</summary>
public sealed record ReleaseProposalView(string ProposedBy, DateTimeOffset ProposedAt, DateTimeOffset ExpiresAt, string Reason);

namespace Serverless.Cases;

/// <summary>The council meetings that decide about cases (and the one that does not review single cases).</summary>
public enum MeetingKind
{
    /// <summary>受理会議: decides what happens to a new referral or case.</summary>
    Intake,

    /// <summary>個別ケース検討会議: a case conference on one case.</summary>
    CaseConference,

    /// <summary>実務者会議: reviews every registered case periodically (the review ledger's meeting).</summary>
    Practitioners,

    /// <summary>代表者会議: the council's representatives; reviews no single case (date and minutes only).</summary>
    Representatives,
}

/// <summary>The case's last council review: set only by a review (<c>POST /api/meetings/{meetingId}/reviews</c>), never by a
/// patch, so the review ledger reads it from the record itself.</summary>
public sealed record LastReview
{
    public required string MeetingId { get; init; }

    public required MeetingKind MeetingKind { get; init; }

    /// <summary>The meeting's date (Japan).</summary>
    public required DateOnly Date { get; init; }
}

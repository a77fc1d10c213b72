namespace Serverless.Cases.Disposal;

/// <summary>Why a case cannot be proposed, approved or disposed of now: the detail of a 409, in the caller's language.
/// Keys are stable (forms may show them); the texts say what to do.</summary>
public static class DisposalRefusals
{
    public const string Held = "held";
    public const string AlreadyHeld = "already-held";
    public const string NotHeld = "not-held";
    public const string ReleaseNotProposed = "release-not-proposed";
    public const string ReleaseAlreadyProposed = "release-already-proposed";
    public const string NotClosed = "not-closed";
    public const string TooRecent = "too-recent";
    public const string AlreadyProposed = "already-proposed";
    public const string NotProposed = "not-proposed";
    public const string AlreadyApproved = "already-approved";
    public const string ReferralNotClosedAlone = "referral-not-closed-alone";
    public const string ReferralRetained = "referral-retained";

    public static IReadOnlyDictionary<string, (string Ja, string En)> Messages { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        [Held] = ("このケースには訴訟等による保全（リーガルホールド）がかかっています。解除されるまで廃棄の提案・承認・実行はできません。", "This case is under a legal hold: it cannot be proposed, approved or disposed of until the hold is released."),
        [AlreadyHeld] = ("このケースには既に保全がかかっています。", "This case is already under a legal hold."),
        [NotHeld] = ("このケースには解除する保全がありません。", "This case has no legal hold to release."),
        [ReleaseNotProposed] = ("このケースの保全の解除は提案されていないか、提案から7日が過ぎて失効しました。解除を提案し、提案した人とは別の調整機関の職員が確認してください。", "Nobody proposed releasing this case's legal hold, or the proposal lapsed after 7 days. Propose the release and have a coordinator other than the proposer confirm it."),
        [ReleaseAlreadyProposed] = ("この保全の解除は既に提案されています。提案した人とは別の調整機関の職員が確認してください。", "Releasing this legal hold has already been proposed: a coordinator other than the proposer confirms it."),
        [NotClosed] = ("終結していないケースは廃棄できません。", "Only a closed case can be disposed of."),
        [TooRecent] = ("ケースの終結を記録した日から保存期間（{years}年）が経過していません（会議の決定日ではなく、終結が記録された日から数えます）。", "The retention period ({years} years from the day the case's closure was recorded, not the meeting's date) has not passed."),
        [AlreadyProposed] = ("廃棄は既に提案されています。", "Disposal has already been proposed."),
        [NotProposed] = ("承認または取下げのできる廃棄の提案がありません。", "There is no pending disposal proposal to approve or withdraw."),
        [AlreadyApproved] = ("この廃棄は既に承認されています。", "This disposal has already been approved."),
        [ReferralNotClosedAlone] = ("単独で廃棄できるのは「これ以上の対応なし」で終えた通告だけです。ケースになった通告はケースと一緒に廃棄されます。", "Only a referral closed with no further action is disposed of on its own; one that became part of a case goes with the case."),
        [ReferralRetained] = ("この通告は保存期限（{retainUntil}）まで廃棄できません。", "This referral is kept until {retainUntil} and cannot be disposed of before then."),
    };
}

namespace Serverless.Notifications;

/// <summary>Something a person must know about, in their inbox. Ids only: the case (or the referral) itself says the
/// rest to whoever may see it. <paramref name="Urgent"/>: to be acted on now (an overdue safety confirmation).</summary>
public sealed record Notification(string NotificationId, string Kind, string CaseId, string? GrantId, string ActorId, string ActorAgencyId, DateTimeOffset At, string? ReferralId = null, bool? Urgent = null);

public static class NotificationKinds
{
    /// <summary>Someone opened a case by break-glass: every coordinator is told at once.</summary>
    public const string BreakGlassOpened = "break-glass-opened";

    /// <summary>A referral's safety confirmation is due soon (the reminder stage): the coordinators on call are told.</summary>
    public const string ReferralDueSoon = "referral-due-soon";

    /// <summary>A referral's safety confirmation is overdue: the coordinators on call and the child guidance centre are told.</summary>
    public const string ReferralOverdue = "referral-overdue";

    /// <summary>Who raises notifications that no person caused (the referral clock).</summary>
    public const string SystemActor = "system";
}

namespace Serverless.Notifications;

/// <summary>Something a person must know about, in their inbox. Ids only: the case (or the referral) itself says the
/// rest to whoever may see it. <paramref name="Urgent"/>: to be acted on now (an urgent report, an overdue safety
/// confirmation).</summary>
public sealed record Notification(string NotificationId, string Kind, string CaseId, string? GrantId, string ActorId, string ActorAgencyId, DateTimeOffset At, string? ReferralId = null, bool? Urgent = null)
{
    /// <summary>The entry the notification is about (<see cref="NotificationKinds.EntryAdded"/>).</summary>
    public string? EntryId { get; init; }

    /// <summary>The entry's type, as the timeline names it (report, comment, case-change, referral, safety-confirmation).</summary>
    public string? EntryType { get; init; }

    /// <summary>The entry's timeline row, so the entry is read back with one point read when the inbox is shown.</summary>
    public string? EntryRow { get; init; }

    /// <summary>The council task (<c>k…</c>) a reminder is about (<see cref="NotificationKinds.TaskDueSoon"/>,
    /// <see cref="NotificationKinds.TaskOverdue"/>).</summary>
    public string? TaskId { get; init; }

    /// <summary>The recipient is mentioned in the comment.</summary>
    public bool Mentioned { get; init; }

    /// <summary>When the recipient marked this one read (null: not one by one; see the inbox's read mark).</summary>
    public DateTimeOffset? ReadAt { get; init; }
}

public static class NotificationKinds
{
    /// <summary>Someone opened a case by break-glass: every coordinator is told at once.</summary>
    public const string BreakGlassOpened = "break-glass-opened";

    /// <summary>A referral's safety confirmation is due soon (the reminder stage): the coordinators on call are told.</summary>
    public const string ReferralDueSoon = "referral-due-soon";

    /// <summary>A referral's safety confirmation is overdue: the coordinators on call and the child guidance centre are told.</summary>
    public const string ReferralOverdue = "referral-overdue";

    /// <summary>An entry was added to a case the recipient sees (a report, a comment, a case change, a referral or a
    /// sighting joining the case): its named staff who see the entry, the people it mentions, the coordinators when urgent.</summary>
    public const string EntryAdded = "entry-added";

    /// <summary>An agency's monthly attendance report is missing on the 11th of the next month (for at least one child on
    /// its list): the staff named for the list are told; from the 16th every coordinator. The agency is
    /// <see cref="Notification.ActorAgencyId"/>; no child is named.</summary>
    public const string AttendanceReportMissing = "attendance-report-missing";

    /// <summary>A task a council review gave is due soon (<c>Council:TaskReminderDaysBefore</c> days before, 3 by
    /// default): its owner is told (the person, or the named staff of the owning agency who see the case).</summary>
    public const string TaskDueSoon = "task-due-soon";

    /// <summary>A task a council review gave is past its due date and not done: its owner is told once.</summary>
    public const string TaskOverdue = "task-overdue";

    /// <summary>A case's transfer to another council (移管) kept failing to be delivered and ended as a dead letter: the
    /// coordinators on call (every coordinator when nobody is) are told urgently. The case id only.</summary>
    public const string TransferDeliveryFailed = "transfer-delivery-failed";

    /// <summary>A case's transfer is past its acknowledgement deadline (24 hours for high risk, 72 otherwise) and the
    /// receiver has not acknowledged it: the coordinators on call (every coordinator when nobody is) are told urgently,
    /// and again each day. The case id only.</summary>
    public const string TransferAcknowledgementOverdue = "transfer-acknowledgement-overdue";

    /// <summary>This council's answer (acknowledgement or more-request) to a partner's package kept failing to be delivered
    /// and ended as a dead letter: the coordinators on call (every coordinator when nobody is) are told urgently. No case id
    /// (the answer knows the package's message id only).</summary>
    public const string TransferAnswerFailed = "transfer-answer-failed";

    /// <summary>The council a case was transferred to asks for more (a signed more-request): the coordinators on call (every
    /// coordinator when nobody is) are told urgently; the request itself is on the case's transfer. The case id only.</summary>
    public const string TransferMoreRequested = "transfer-more-requested";

    /// <summary>Who raises notifications that no person caused (the referral clock).</summary>
    public const string SystemActor = "system";
}

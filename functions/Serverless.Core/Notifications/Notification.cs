namespace Serverless.Notifications;

/// <summary>Something a person must know about, in their inbox. Ids only: the case itself says the rest
/// to whoever may see it.</summary>
public sealed record Notification(string NotificationId, string Kind, string CaseId, string? GrantId, string ActorId, string ActorAgencyId, DateTimeOffset At);

public static class NotificationKinds
{
    /// <summary>Someone opened a case by break-glass: every coordinator is told at once.</summary>
    public const string BreakGlassOpened = "break-glass-opened";
}

namespace Serverless.Notifications.Webhooks;

public static class WebhookLimits
{
    /// <summary>An agency's channels: a few chat rooms and a relay. Bounds the fan-out of every event.</summary>
    public const int MaxPerAgency = 10;

    /// <summary>Delivery attempts kept per webhook for admins to read.</summary>
    public const int AttemptsKept = 10;

    public const int MaxUrlLength = 2048;

    /// <summary>How long the previous signing secret keeps signing after a rotation.</summary>
    public static readonly TimeSpan RotationOverlap = TimeSpan.FromHours(24);
}

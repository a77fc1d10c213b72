namespace Serverless.Identity.SubmissionKeys;

/// <summary>Limits on what an admin may set on a key.</summary>
public static class SubmissionKeyLimits
{
    /// <summary>Characters a person sees (e.g. "南小学校 通告フォーム").</summary>
    public const int Label = 100;

    public const int AllowedOrigins = 10;

    public const int AllowedAddresses = 20;

    /// <summary>A key may be issued with no expiry; one that has an expiry may not be set further ahead than this.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(730);

    /// <summary>How long a rotated key may keep working beside its successor.</summary>
    public static readonly TimeSpan MaxRotationOverlap = TimeSpan.FromDays(7);
}

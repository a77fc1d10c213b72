namespace Serverless.Health;

/// <summary>What <c>GET /api/health</c> answers: nothing about any case, and no one's data but the caller's own address.</summary>
public sealed record HealthReport(
    string Status,
    string Version,
    StorageHealth Storage,
    DeadLetterHealth DeadLetters,
    DateTimeOffset CheckedAt)
{
    /// <summary>
    /// The caller's own address as the app resolves it (<c>Network:TrustedProxyHops</c>), or null when it cannot:
    /// what the admin API's allow-list, key address bindings, the throttle and the audit use. <c>ops/verify</c>
    /// compares it with and without a forged <c>X-Forwarded-For</c> to check the setting on a deployment.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public string? ClientAddress { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsHealthy => Status == HealthStatus.Healthy;
}

public sealed record StorageHealth(string Tables, string Queues, string Blobs);

/// <summary><paramref name="Capped"/> is true when there are at least <paramref name="Count"/> (health reads one page only).</summary>
public sealed record DeadLetterHealth(int Count, bool Capped);

public static class HealthStatus
{
    public const string Healthy = "healthy";
    public const string Unhealthy = "unhealthy";
    public const string Reachable = "reachable";
    public const string Unreachable = "unreachable";
}

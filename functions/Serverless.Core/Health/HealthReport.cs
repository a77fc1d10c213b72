namespace Serverless.Health;

/// <summary>What <c>GET /api/health</c> answers: no personal data, nothing about any case.</summary>
public sealed record HealthReport(
    string Status,
    string Version,
    StorageHealth Storage,
    DeadLetterHealth DeadLetters,
    DateTimeOffset CheckedAt)
{
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

using Serverless.Storage;

namespace Serverless.Health;

/// <summary>A queue round-trip check: ops sends one after a deploy and waits for its row.</summary>
public sealed record HealthProbeMessage(int SchemaVersion, string ProbeId) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public static HealthProbeMessage Create(string probeId) => new(CurrentSchemaVersion, probeId);
}

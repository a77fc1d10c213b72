using System.ComponentModel.DataAnnotations;

namespace Serverless.Health;

/// <summary>Settings of <c>GET /api/health</c> (section <c>Health</c>).</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>
    /// How long one storage probe answers every health request (seconds; 0 probes on every request). Health is open
    /// to anyone, so without this each anonymous request would cost three storage operations.
    /// </summary>
    [Range(0, 300, ErrorMessage = "Health:CacheSeconds must be between 0 and 300.")]
    public int CacheSeconds { get; set; } = 15;
}

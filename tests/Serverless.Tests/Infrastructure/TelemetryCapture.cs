using System.Collections.Concurrent;
using System.Text;
using Microsoft.ApplicationInsights.Channel;

namespace Serverless.Tests.Infrastructure;

/// <summary>An Application Insights channel that keeps what would have been sent (after every telemetry processor), so
/// the canary can look into it.</summary>
public sealed class TelemetryCapture : ITelemetryChannel
{
    /// <summary>A well-formed connection string whose endpoint is never reached (the capture replaces the channel).</summary>
    public const string ConnectionString = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/";

    private readonly ConcurrentQueue<ITelemetry> items = new();

    public IReadOnlyList<ITelemetry> Items => [.. items];

    public bool? DeveloperMode { get; set; }

    public string? EndpointAddress { get; set; }

    public void Send(ITelemetry item) => items.Enqueue(item);

    public void Flush()
    {
    }

    public void Dispose()
    {
    }

    /// <summary>The item as it would go over the wire (JSON), for looking into.</summary>
    public static string Text(ITelemetry item)
        => Encoding.UTF8.GetString(Microsoft.ApplicationInsights.Extensibility.Implementation.JsonSerializer.Serialize([item], compress: false));
}

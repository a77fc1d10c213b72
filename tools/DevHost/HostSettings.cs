using System.Text.Json.Nodes;

namespace Serverless.DevHost;

/// <summary>
/// The parts of <c>host.json</c> the local host honours, with the Functions host's documented defaults
/// where host.json is silent. Tests may shorten the timings.
/// </summary>
public sealed class HostSettings
{
    public string RoutePrefix { get; set; } = "api";

    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>How long a failed message stays invisible before its next attempt (Functions default 0).</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.Zero;

    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    public int BatchSize { get; set; } = 16;

    /// <summary>How long a message being processed stays hidden from other receivers (the host's lease).</summary>
    public TimeSpan ProcessingLease { get; set; } = TimeSpan.FromMinutes(10);

    public static HostSettings Load(string path)
    {
        var settings = new HostSettings();
        if (!File.Exists(path))
        {
            return settings;
        }

        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
        var http = root?["extensions"]?["http"];
        var queues = root?["extensions"]?["queues"];

        if (http?["routePrefix"] is JsonNode prefix)
        {
            settings.RoutePrefix = prefix.GetValue<string>().Trim('/');
        }

        if (queues?["messageEncoding"] is JsonNode encoding && !string.Equals(encoding.GetValue<string>(), "base64", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("host.json sets queues.messageEncoding to something other than base64; the app's queue clients send base64.");
        }

        settings.MaxDequeueCount = queues?["maxDequeueCount"]?.GetValue<int>() ?? settings.MaxDequeueCount;
        settings.BatchSize = queues?["batchSize"]?.GetValue<int>() ?? settings.BatchSize;
        settings.VisibilityTimeout = ReadTimeSpan(queues?["visibilityTimeout"]) ?? settings.VisibilityTimeout;
        settings.MaxPollingInterval = ReadTimeSpan(queues?["maxPollingInterval"]) ?? settings.MaxPollingInterval;
        return settings;
    }

    private static TimeSpan? ReadTimeSpan(JsonNode? node)
        => node is null ? null : TimeSpan.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
}

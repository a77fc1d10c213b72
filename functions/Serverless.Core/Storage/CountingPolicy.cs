using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Serverless.Storage;

/// <summary>
/// Pipeline policy that records one operation per logical call (per call, not per retry, so counts
/// are stable). The label keeps the resource's shape and drops keys and blob names:
/// <c>table GET Cases(key)</c>, <c>queue POST health-probes/messages</c>, <c>blob PUT attachments/*</c>.
/// A call kept for a test (<see cref="StorageOperationCounter.KeepCalls"/>) also carries a table query's filter: the
/// label of a one-partition query and of a table scan are the same, the filter is not.
/// </summary>
internal sealed partial class CountingPolicy(string service, StorageOperationCounter counter) : HttpPipelineSynchronousPolicy
{
    private const string SentAtProperty = "serverless-sent-at";

    public override void OnSendingRequest(HttpMessage message)
    {
        counter.Record(Label(message));
        message.SetProperty(SentAtProperty, counter.Sent());
    }

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (message.HasResponse && message.Response.Status >= 400)
        {
            counter.RecordRefused(Label(message));
        }

        if (message.TryGetProperty(SentAtProperty, out var sentAt) && sentAt is long tick and > 0)
        {
            counter.Answered(Label(message), tick, Filter(message.Request.Uri.ToUri()));
        }
    }

    private string Label(HttpMessage message) => $"{service} {message.Request.Method} {ResourceShape(message.Request.Uri.ToUri())}";

    internal string ResourceShape(Uri uri)
    {
        var segments = uri.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).ToList();

        // Azurite and other emulators use path-style addresses: the first segment is the account.
        if ((uri.IsLoopback || uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6) && segments.Count > 0)
        {
            segments.RemoveAt(0);
        }

        if (segments.Count == 0)
        {
            return "/";
        }

        return service switch
        {
            "table" => TableKeys().Replace(segments[0], "(key)"),
            "blob" => segments.Count > 1 ? segments[0] + "/*" : segments[0],
            "queue" => segments.Count > 2 ? $"{segments[0]}/{segments[1]}/*" : string.Join('/', segments),
            _ => string.Join('/', segments),
        };
    }

    /// <summary>A table query's <c>$filter</c> as sent, or null (a point read, a write, any other service's call).</summary>
    internal static string? Filter(Uri uri)
        => uri.Query.TrimStart('?').Split('&')
            .Select(parameter => parameter.Split('=', 2))
            .Where(pair => pair.Length == 2 && Uri.UnescapeDataString(pair[0]) == "$filter")
            .Select(pair => Uri.UnescapeDataString(pair[1].Replace('+', ' ')))
            .FirstOrDefault();

    [GeneratedRegex(@"\(.+\)$")]
    private static partial Regex TableKeys();
}

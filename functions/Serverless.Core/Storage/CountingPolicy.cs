using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Serverless.Storage;

/// <summary>
/// Pipeline policy that records one operation per logical call (per call, not per retry, so counts
/// are stable). The label keeps the resource's shape and drops keys and blob names:
/// <c>table GET Cases(key)</c>, <c>queue POST health-probes/messages</c>, <c>blob PUT attachments/*</c>.
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
        if (message.TryGetProperty(SentAtProperty, out var sentAt) && sentAt is long tick)
        {
            counter.Answered(Label(message), tick);
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

    [GeneratedRegex(@"\(.+\)$")]
    private static partial Regex TableKeys();
}

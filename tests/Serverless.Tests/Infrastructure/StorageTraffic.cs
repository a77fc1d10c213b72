using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Storage;

namespace Serverless.Tests.Infrastructure;

/// <summary>
/// A recording of every request the app's storage clients send: its URL (what storage's own request logs keep), the
/// request lines inside a table batch (each names an entity by its keys), and the text of every queue message sent
/// (as sent, and base64-decoded as the trigger reads it). Registered in place of the app's <see cref="StorageClients"/>
/// through the test host's service overrides (<see cref="Register"/>), next to the app's own counting policy.
/// </summary>
public sealed partial class StorageTraffic
{
    private readonly ConcurrentQueue<string> urls = new();
    private readonly ConcurrentQueue<string> messages = new();
    private volatile bool recording = true;

    /// <summary>Every storage request URL, and every request line inside a table batch.</summary>
    public IReadOnlyList<string> Urls => [.. urls];

    /// <summary>The text of every queue message sent or updated, decoded from base64 where it was.</summary>
    public IReadOnlyList<string> QueueMessages => [.. messages];

    /// <summary>Stops recording: what the test itself reads afterwards (the canary's scans) is not the app's traffic.</summary>
    public void Stop() => recording = false;

    /// <summary>Replaces the app's storage clients with ones that carry this recording (and the app's counting policy).</summary>
    public void Register(IServiceCollection services)
        => services.Replace(ServiceDescriptor.Singleton(provider =>
        {
            var settings = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<StorageOptions>>().Value;
            var counter = provider.GetRequiredService<StorageOperationCounter>();
            var tableOptions = new TableClientOptions();
            tableOptions.AddPolicy(new CountingPolicy("table", counter), HttpPipelinePosition.PerCall);
            tableOptions.AddPolicy(new Policy(this), HttpPipelinePosition.PerRetry);
            var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            queueOptions.AddPolicy(new CountingPolicy("queue", counter), HttpPipelinePosition.PerCall);
            queueOptions.AddPolicy(new Policy(this), HttpPipelinePosition.PerRetry);
            var rawQueueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
            rawQueueOptions.AddPolicy(new CountingPolicy("queue", counter), HttpPipelinePosition.PerCall);
            rawQueueOptions.AddPolicy(new Policy(this), HttpPipelinePosition.PerRetry);
            var blobOptions = new BlobClientOptions();
            blobOptions.AddPolicy(new CountingPolicy("blob", counter), HttpPipelinePosition.PerCall);
            blobOptions.AddPolicy(new Policy(this), HttpPipelinePosition.PerRetry);
            return new StorageClients(
                new TableServiceClient(settings.ConnectionString, tableOptions),
                new QueueServiceClient(settings.ConnectionString, queueOptions),
                new QueueServiceClient(settings.ConnectionString, rawQueueOptions),
                new BlobServiceClient(settings.ConnectionString, blobOptions),
                blobsSignInWithToken: false);
        }));

    private void Record(HttpMessage message)
    {
        if (!recording)
        {
            return;
        }

        var uri = message.Request.Uri.ToUri();
        urls.Enqueue(uri.ToString());
        if (message.Request.Content is not { } content)
        {
            return;
        }

        using var buffer = new MemoryStream();
        content.WriteTo(buffer, CancellationToken.None);
        var body = Encoding.UTF8.GetString(buffer.ToArray());
        if (uri.AbsolutePath.EndsWith("$batch", StringComparison.Ordinal))
        {
            foreach (Match line in BatchRequestLine().Matches(body))
            {
                urls.Enqueue(line.Value);
            }
        }
        else if (MessageText().Match(body) is { Success: true } found)
        {
            // Read as text, not parsed: the SDK writes a BOM first, and a recording must never fail the app's send.
            var text = System.Net.WebUtility.HtmlDecode(found.Groups[1].Value);
            messages.Enqueue(text + "\n" + TryDecodeBase64(text));
        }
    }

    private static string? TryDecodeBase64(string text)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A request line inside a multipart batch: <c>PUT http://…/Table(PartitionKey='…',RowKey='…') HTTP/1.1</c>.</summary>
    [GeneratedRegex(@"^(GET|PUT|POST|PATCH|MERGE|DELETE) \S+ HTTP/1\.1", RegexOptions.Multiline)]
    private static partial Regex BatchRequestLine();

    [GeneratedRegex("<MessageText>(.*?)</MessageText>", RegexOptions.Singleline)]
    private static partial Regex MessageText();

    /// <summary>Per retry, so every request that went over the wire is recorded, retries included.</summary>
    private sealed class Policy(StorageTraffic traffic) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => traffic.Record(message);
    }
}

using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;
using Serverless.Storage;

namespace Serverless.Tests.Infrastructure;

/// <summary>
/// Plants unique, obviously personal strings (a name in kanji and kana, a birth date, an address,
/// report text), lets a scenario run, then looks for them everywhere personal data must never go:
/// captured logs, captured telemetry (when the host has it on), table names and keys, queue messages (raw and base64-decoded), blob names,
/// metadata and index tags, in every container of the host (each one the app declares among them).
/// Any hit is a leak. Every feature's scenario reuses it.
/// </summary>
public sealed class PersonalDataCanary
{
    private readonly string id = Guid.NewGuid().ToString("N")[..8];

    public string FamilyName => "鳥居" + Marker;

    public string GivenName => "ひかり" + Marker;

    public string KanaName => "トリイ ヒカリ" + Marker;

    public string Address => "南丹市園部町カナリア" + Marker + "番地";

    public string ReportText => "登校時に腕にあざがあった。本人は「父に叩かれた」と話した。" + Marker;

    public string BirthDate => "2019-04-0" + (id[0] % 9 + 1);

    /// <summary>The part every planted string shares, so a fragment of any of them is still found.</summary>
    public string Marker => "CANARY" + id;

    public IReadOnlyList<string> Values => [FamilyName, GivenName, KanaName, Address, ReportText, Marker];

    public async Task<IReadOnlyList<string>> FindLeaksAsync(TestHost host)
    {
        var leaks = new List<string>();
        leaks.AddRange(host.Logs.Entries.Where(entry => Contains(entry.Everything)).Select(entry => $"log {entry.Category}: {entry.Text}"));
        leaks.AddRange((host.Telemetry?.Items ?? []).Select(TelemetryCapture.Text).Where(Contains).Select(text => $"telemetry: {text}"));
        leaks.AddRange(await TableLeaksAsync(host));
        leaks.AddRange(await QueueLeaksAsync(host));
        leaks.AddRange(await BlobLeaksAsync(host));
        return leaks;
    }

    private async Task<List<string>> TableLeaksAsync(TestHost host)
    {
        var leaks = new List<string>();
        await foreach (var table in host.Storage.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(host.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (Contains(table.Name))
            {
                leaks.Add($"table name {table.Name}");
            }

            var client = host.Storage.Tables.GetTableClient(table.Name);
            await foreach (var entity in client.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                if (Contains(entity.PartitionKey) || Contains(entity.RowKey))
                {
                    leaks.Add($"table key {table.Name}: {entity.PartitionKey} / {entity.RowKey}");
                }
            }
        }

        return leaks;
    }

    private async Task<List<string>> QueueLeaksAsync(TestHost host)
    {
        var leaks = new List<string>();
        // A client without base64 decoding sees the bytes as stored; both forms are checked.
        var raw = new QueueServiceClient(TestStorage.ConnectionString);
        await foreach (var queue in raw.GetQueuesAsync(prefix: host.Prefix.ToLowerInvariant()))
        {
            var messages = await raw.GetQueueClient(queue.Name).PeekMessagesAsync(32);
            foreach (var message in messages.Value)
            {
                var text = message.Body.ToString();
                if (Contains(text) || Contains(TryDecodeBase64(text)))
                {
                    leaks.Add($"queue message in {queue.Name}: {message.MessageId}");
                }
            }
        }

        return leaks;
    }

    private async Task<List<string>> BlobLeaksAsync(TestHost host)
    {
        var leaks = new List<string>();
        var containers = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var container in host.Storage.Blobs.GetBlobContainersAsync(BlobContainerTraits.Metadata, prefix: host.Prefix.ToLowerInvariant()))
        {
            containers.Add(container.Name);
            if ((container.Properties.Metadata ?? new Dictionary<string, string>()).Any(pair => Contains(pair.Key) || Contains(pair.Value)))
            {
                leaks.Add($"container metadata {container.Name}");
            }
        }

        // Every container the app declares is created at start; one missing here would be one never looked into.
        var declared = host.Get<IOptions<StorageResources>>().Value.Containers.Select(host.Names.Container).ToList();
        var unscanned = declared.Where(name => !containers.Contains(name)).ToList();
        if (unscanned.Count > 0)
        {
            throw new InvalidOperationException($"The canary cannot scan declared containers that do not exist: {string.Join(", ", unscanned)}");
        }

        foreach (var name in containers)
        {
            var client = host.Storage.Blobs.GetBlobContainerClient(name);
            await foreach (var blob in client.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata | BlobTraits.Tags }))
            {
                if (Contains(Uri.UnescapeDataString(blob.Name)) || (blob.Metadata?.Any(pair => Contains(pair.Key) || Contains(pair.Value)) ?? false))
                {
                    leaks.Add($"blob {name}/{blob.Name}");
                }

                // Index tags are readable by anyone who may filter the account's blobs, without reading a blob.
                var tags = blob.Tags ?? await TagsAsync(client.GetBlobClient(blob.Name));
                if (tags.Any(pair => Contains(pair.Key) || Contains(pair.Value)))
                {
                    leaks.Add($"blob tag {name}/{blob.Name}");
                }
            }
        }

        return leaks;
    }

    /// <summary>A blob's index tags read one by one, where a listing did not return them (none for a blob gone meanwhile).</summary>
    private static async Task<IDictionary<string, string>> TagsAsync(Azure.Storage.Blobs.BlobClient blob)
    {
        try
        {
            return (await blob.GetTagsAsync()).Value.Tags;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return new Dictionary<string, string>();
        }
    }

    private bool Contains(string? text)
        => text is not null && Values.Any(value =>
            text.Contains(value, StringComparison.Ordinal)
            || text.Contains(Uri.EscapeDataString(value), StringComparison.OrdinalIgnoreCase)
            || text.Contains(System.Text.Json.JsonSerializer.Serialize(value).Trim('"'), StringComparison.Ordinal));

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
}

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

    /// <summary>Eight random digits: the subscriber part of the phone number (a number no other run plants).</summary>
    private readonly int serial = System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 100_000_000);

    /// <summary>A random day of 2008–2018: the birth date of a child of school age (no other run's, likely).</summary>
    private readonly DateOnly born = new DateOnly(2008, 1, 1).AddDays(System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 4018));

    private IReadOnlyList<string>? forms;

    public string FamilyName => "鳥居" + Marker;

    public string GivenName => "ひかり" + Marker;

    /// <summary>A full name in kanji, family then given.</summary>
    public string KanjiName => "鳥居 光莉" + Marker;

    public string KanaName => "トリイ ヒカリ" + Marker;

    /// <summary>A name in katakana only (for fields that take nothing else), unique per run: the marker's hex digits as katakana.</summary>
    public string KatakanaName => "トリイ" + string.Concat(id.Select(digit => "アイウエオカキクケコサシスセソタ"[Convert.ToInt32(digit.ToString(), 16)])) + " ヒカリ";

    public string Address => "南丹市園部町カナリア" + Marker + "番地";

    public string ReportText => "登校時に腕にあざがあった。本人は「父に叩かれた」と話した。" + Marker;

    /// <summary>A second narrative, as a neighbour would tell it on the phone.</summary>
    public string Narrative => "夜十時ごろ隣の部屋から子どもの泣き声と「出ていけ」という怒鳴り声が聞こえた。" + Marker;

    /// <summary>A mobile number as typed: <c>090-1234-5678</c>.</summary>
    public string Phone => $"090-{serial / 10_000:D4}-{serial % 10_000:D4}";

    /// <summary>The same number in international form: <c>+81-90-1234-5678</c>.</summary>
    public string InternationalPhone => $"+81-90-{serial / 10_000:D4}-{serial % 10_000:D4}";

    public string BirthDate => born.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The part every planted string shares, so a fragment of any of them is still found.</summary>
    public string Marker => "CANARY" + id;

    /// <summary>The marked values (each carries <see cref="Marker"/>).</summary>
    public IReadOnlyList<string> Values => [FamilyName, GivenName, KanjiName, KanaName, Address, ReportText, Narrative, Marker];

    /// <summary>The marked values and the katakana-only name (unique by its own letters).</summary>
    private IReadOnlyList<string> Names => [.. Values, KatakanaName, KatakanaName.Replace(" ", "", StringComparison.Ordinal), KatakanaName[3..^4]];

    /// <summary>Everything planted: the marked values, and the phone number and birth date in every way they are written.</summary>
    public IReadOnlyList<string> AllValues =>
    [
        .. Names,
        Phone, Phone.Replace("-", "", StringComparison.Ordinal), InternationalPhone, InternationalPhone.Replace("-", "", StringComparison.Ordinal),
        InternationalPhone.Replace("-", " ", StringComparison.Ordinal),
        BirthDate, born.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture), $"{born.Year}年{born.Month}月{born.Day}日",
    ];

    /// <summary>What the last <see cref="FindLeaksAsync"/> looked into, by kind (log lines, telemetry items, table keys,
    /// queue messages, blobs), so a test can show it was not empty.</summary>
    public IDictionary<string, int> Checked { get; } = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="haystack"/> holds any planted value: as planted, URL-encoded (path or form style, any
    /// hex case), or JSON-escaped (<c>\uXXXX</c>, as a serializer that escapes non-ASCII writes it).</summary>
    public bool Finds(string? haystack)
        => haystack is not null && (forms ??= Forms()).Any(form => haystack.Contains(form, StringComparison.OrdinalIgnoreCase));

    private List<string> Forms()
        => AllValues
            .SelectMany(value => new[]
            {
                value,
                Uri.EscapeDataString(value),
                System.Net.WebUtility.UrlEncode(value),
                System.Text.Json.JsonSerializer.Serialize(value).Trim('"'),
                System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Trim('"'),
            })
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();

    private void Count(string kind, int n = 1) => Checked[kind] = Checked.TryGetValue(kind, out var seen) ? seen + n : n;

    public async Task<IReadOnlyList<string>> FindLeaksAsync(TestHost host)
    {
        var leaks = new List<string>();
        Checked.Clear();
        Count("log lines", host.Logs.Entries.Count);
        Count("telemetry items", host.Telemetry?.Items.Count ?? 0);
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

            Count("tables");
            var client = host.Storage.Tables.GetTableClient(table.Name);
            await foreach (var entity in client.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                Count("table keys");
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
            Count("queues");
            var messages = await raw.GetQueueClient(queue.Name).PeekMessagesAsync(32);
            foreach (var message in messages.Value)
            {
                Count("queue messages present");
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
            Count("containers");
            await foreach (var blob in client.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata | BlobTraits.Tags }))
            {
                Count("blobs");
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

    private bool Contains(string? text) => Finds(text);

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

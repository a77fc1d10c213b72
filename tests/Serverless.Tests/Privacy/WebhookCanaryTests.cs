using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Serverless.Notifications.Webhooks;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using Serverless.Tests.Webhooks;

namespace Serverless.Tests.Privacy;

/// <summary>
/// A webhook reaches a whole staff room: whatever was planted in the case it is about, no body or header carries it,
/// nor the case's or the entry's id. And a webhook's URL (a credential: a Teams URL carries its sig=) and its signing
/// secret reach no log line, table key, queue message or API answer; in the table they are sealed.
/// </summary>
public sealed class WebhookCanaryTests
{
    [Fact]
    public async Task NoWebhookPayloadHoldsPlantedPersonalDataAndNoUrlOrSecretLeaksAnywhere()
    {
        await using var world = await WebhookWorld.StartAsync();
        var canary = new PersonalDataCanary();
        var urlMarker = "URLCANARY" + Guid.NewGuid().ToString("N")[..8];
        var signature = "SIGCANARY" + Guid.NewGuid().ToString("N")[..8];

        // The case and a report, full of personal data, as the inbox fan-out would have them when it calls the dispatcher.
        var record = CaseApi.ValidRecord();
        record["child"]!["name"] = new JsonObject { ["family"] = canary.FamilyName, ["given"] = canary.GivenName, ["familyKana"] = canary.KanaName };
        record["location"] = new JsonObject { ["address"] = canary.Address };
        using var created = await world.SendAsync(HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record }, subject: "coordinator-sato");
        var caseId = (string)(await CaseApi.BodyAsync(created))["caseId"]!;
        using var reported = await world.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/reports", Serverless.Tests.Entries.EntryApi.Report(canary.ReportText), subject: "coordinator-sato");
        var entryId = (string)(await CaseApi.BodyAsync(reported))["entryId"]!;
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);

        var answers = new StringBuilder();
        var secrets = new List<string>();
        foreach (var format in new[] { "generic", "teams", "slack" })
        {
            var saved = await world.RegisterAsync("room-" + format, format, world.Receiver.Url($"/{urlMarker}/{format}?api-version=1&sig={signature}"));
            if (saved["secret"] is { } secret)
            {
                secrets.Add(((string)secret!)[6..]);
            }

            // The secret is shown once, in its own field, by design; everything else in the answer is checked. (Raw text:
            // JSON's escaping of '+' would hide a secret that contains one.)
            var rest = saved.DeepClone().AsObject();
            rest.Remove("secret");
            answers.Append(Regex.Unescape(rest.ToJsonString()));
        }

        using (var rotated = await world.SendAsync(HttpMethod.Post, $"api/admin/agencies/{WebhookWorld.Agency}/webhooks/room-generic/rotate-secret"))
        {
            secrets.Add(((string)(await CaseApi.BodyAsync(rotated))["secret"]!)[6..]);
        }

        world.Receiver.Answer = request => request.PathAndQuery.Contains("slack", StringComparison.Ordinal) ? (500, null) : (200, null);
        await world.DispatchAndDeliverAsync(new WebhookEvent("evt-" + Guid.NewGuid().ToString("N")[..12], "entry.added", true, world.Clock.GetUtcNow()));
        using (var list = await world.SendAsync(HttpMethod.Get, $"api/admin/agencies/{WebhookWorld.Agency}/webhooks"))
        {
            answers.Append(Regex.Unescape(await list.Content.ReadAsStringAsync()));
        }

        using (var deleted = await world.SendAsync(HttpMethod.Delete, $"api/admin/agencies/{WebhookWorld.Agency}/webhooks/room-teams"))
        {
            answers.Append(Regex.Unescape(await deleted.Content.ReadAsStringAsync()));
        }

        // What the receivers got: the fixed sentence, the link, opaque ids. Nothing of the case.
        Assert.Equal(3, world.Receiver.Requests.Count);
        foreach (var request in world.Receiver.Requests)
        {
            var seen = request.Body + "\n" + string.Join("\n", request.Headers.Select(header => $"{header.Key}: {header.Value}"));
            foreach (var value in canary.Values.Append(caseId).Append(entryId).Append(canary.BirthDate))
            {
                Assert.DoesNotContain(value, seen, StringComparison.Ordinal);
            }
        }

        // Where personal data never goes, as for every feature.
        Assert.Empty(await canary.FindLeaksAsync(world.Host));

        // The URL's secret parts and the signing secrets: never in a log line, an API answer, a queue message, a table key,
        // nor in any stored property but the sealed ones.
        string[] credentials = [urlMarker, signature, .. secrets];
        Assert.Empty(world.Host.Logs.Entries.Where(entry => credentials.Any(value => entry.Everything.Contains(value, StringComparison.Ordinal))).Select(entry => entry.Text));
        Assert.DoesNotContain(credentials, value => answers.ToString().Contains(value, StringComparison.Ordinal));
        Assert.Empty(await QueueTextsHoldingAsync(world.Host, credentials));
        Assert.Empty(await TableTextsHoldingAsync(world.Host, credentials));
    }

    private static async Task<List<string>> QueueTextsHoldingAsync(TestHost host, IReadOnlyList<string> values)
    {
        var found = new List<string>();
        var raw = new QueueServiceClient(TestStorage.ConnectionString);
        await foreach (var queue in raw.GetQueuesAsync(prefix: host.Prefix.ToLowerInvariant()))
        {
            foreach (var message in (await raw.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                var text = message.Body.ToString() + "\n" + Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString()));
                found.AddRange(values.Where(value => text.Contains(value, StringComparison.Ordinal)).Select(_ => queue.Name));
            }
        }

        return found;
    }

    private static async Task<List<string>> TableTextsHoldingAsync(TestHost host, IReadOnlyList<string> values)
    {
        var found = new List<string>();
        await foreach (var table in host.Storage.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(host.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var entity in host.Storage.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                var text = string.Join("\n", entity.Select(property => $"{property.Key}={property.Value}"));
                found.AddRange(values.Where(value => text.Contains(value, StringComparison.Ordinal)).Select(_ => $"{table.Name} {entity.PartitionKey}/{entity.RowKey}"));
            }
        }

        return found;
    }
}

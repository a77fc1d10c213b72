using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Serverless.DevHost;
using Serverless.Entries;
using Serverless.Notifications;
using Serverless.Notifications.Webhooks;
using Serverless.Queues;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Webhooks;

/// <summary>
/// The inbox fan-out tells the chat channels of the agencies whose people it told, and no other: an entry the school's
/// staff may not see never reaches the school's channel. What reaches a channel says nothing of the case.
/// </summary>
public sealed class AgencyChannelTests
{
    private const string School = WebhookWorld.Agency;
    private const string Division = "midori-kodomo-ka";
    private const string Centre = "chuo-jisou";

    [Fact]
    public async Task AnEntryReachesTheChannelsOfTheAgenciesWhoseStaffWereToldAndNoOther()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("room", "generic");
        await world.RegisterAsync("room", "slack", agencyId: Division);
        await world.RegisterAsync("room", "slack", agencyId: Centre);
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = School;
        record["staff"] = new JsonArray(new JsonObject { ["personId"] = DemoPeople.PersonId("teacher-tanaka"), ["agencyId"] = School });
        using var created = await world.SendAsync(HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record }, subject: "coordinator-sato");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var caseId = (string)(await CaseApi.BodyAsync(created))["caseId"]!;

        await HandleEntryEventsAsync(world);
        var registered = await DeliveriesAsync(world);

        // The registration told the named teacher (and, the case naming no coordinator, the other coordinator).
        Assert.Equal([Division, School], registered.Select(message => message.AgencyId).Order(StringComparer.Ordinal));
        Assert.All(registered, message => Assert.Equal(("entry-added", false), (message.Kind, message.Urgent)));

        var coordinatorsOnly = Serverless.Tests.Entries.EntryApi.Report("本人の言葉", "coordinators-only");
        coordinatorsOnly["urgency"] = "routine";
        using var reported = await world.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/reports", coordinatorsOnly, subject: "coordinator-sato");
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        var entryId = (string)(await CaseApi.BodyAsync(reported))["entryId"]!;
        await HandleEntryEventsAsync(world);

        var report = Assert.Single(await DeliveriesAsync(world)); // the division's coordinators only: not the school's room
        Assert.Equal(Division, report.AgencyId);
        Assert.Equal(AgencyChannels.EventId("entry/" + entryId), report.EventId);
        Assert.DoesNotContain(caseId, report.EventId, StringComparison.Ordinal);
        Assert.DoesNotContain(entryId, report.EventId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSchoolsRoomReadsThatThereIsSomethingNewAndNothingOfTheCase()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("room", "generic");
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = School;
        record["staff"] = new JsonArray(new JsonObject { ["personId"] = DemoPeople.PersonId("teacher-tanaka"), ["agencyId"] = School });
        using var created = await world.SendAsync(HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record }, subject: "coordinator-sato");
        var caseId = (string)(await CaseApi.BodyAsync(created))["caseId"]!;

        await HandleEntryEventsAsync(world);
        foreach (var message in await TakeRawAsync(world))
        {
            await world.Host.Get<WebhookDelivery>().HandleAsync(message, CancellationToken.None);
        }

        var received = Assert.Single(world.Receiver.Requests);
        var payload = JsonNode.Parse(received.Body)!;
        Assert.Equal(("entry-added", School), ((string?)payload["type"], (string?)payload["agencyId"]));
        Assert.DoesNotContain(caseId, received.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(record["child"]!["name"]!["family"]!.GetValue<string>(), received.Body, StringComparison.Ordinal);
    }

    /// <summary>Every queued entry event, handled as the EntryAdded function would.</summary>
    private static async Task HandleEntryEventsAsync(WebhookWorld world)
    {
        var queue = new QueueClient(TestStorage.ConnectionString, world.Host.Names.Queue(EntryEvents.Queue));
        while ((await queue.ReceiveMessagesAsync(32)).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                await world.Host.Get<EntryEvents>().HandleAsync(Encoding.UTF8.GetString(Convert.FromBase64String(message.Body.ToString())), CancellationToken.None);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    private static async Task<IReadOnlyList<string>> TakeRawAsync(WebhookWorld world) => await world.TakeMessagesAsync();

    private static async Task<IReadOnlyList<WebhookDeliveryMessage>> DeliveriesAsync(WebhookWorld world)
        => [.. (await world.TakeMessagesAsync()).Select(text => JsonSerializer.Deserialize<WebhookDeliveryMessage>(text, QueueMessageJson.Options)!)];
}

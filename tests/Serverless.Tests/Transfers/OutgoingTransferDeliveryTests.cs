using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Serverless.DevHost;
using Serverless.Notifications;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Infrastructure;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Packages;
using static Serverless.Tests.Transfers.OutgoingTransferWorld;

namespace Serverless.Tests.Transfers;

/// <summary>
/// After the send: the case shows its transfer to its coordinators and refuses to close as 移管 until the transfer is
/// acknowledged (the seam the receiving side calls); delivery posts the sealed bytes to the partner's intake endpoint
/// (a local listener here, which opens them with the partner's key), once; a delivery that keeps failing marks the
/// transfer failed and alerts the coordinators urgently.
/// </summary>
public sealed class OutgoingTransferDeliveryTests
{
    [Fact]
    public async Task TheCaseShowsItsTransferToCoordinatorsAndClosesAs移管OnlyOnceAcknowledged()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var messageId = await world.SentAsync(caseId, Body(risk: "medium"));
        var transfers = api.Host.Get<OutgoingTransferService>();

        var coordinatorView = await CaseApi.BodyAsync(await api.GetAsync(caseId));
        var memberView = await CaseApi.BodyAsync(await api.GetAsync(caseId, EntryApi.Teacher));
        using var refused = await CloseAsync(api, caseId, "transferred-to-another-municipality");
        var wrongPartner = await transfers.MarkAcknowledgedAsync(messageId, "011002", CaseApi.Now.AddHours(1), CancellationToken.None);
        var acknowledged = await transfers.MarkAcknowledgedAsync(messageId, Partner, CaseApi.Now.AddHours(1), CancellationToken.None);
        var again = await transfers.MarkAcknowledgedAsync(messageId, Partner, CaseApi.Now.AddHours(2), CancellationToken.None);
        var afterAcknowledgement = await CaseApi.BodyAsync(await api.GetAsync(caseId));
        using var closed = await CloseAsync(api, caseId, "transferred-to-another-municipality");

        Assert.Equal(
            new JsonObject { ["messageId"] = messageId, ["receiverMunicipalityCode"] = Partner, ["state"] = "queued", ["acknowledgementDeadline"] = CaseApi.Now.AddHours(72) }.ToJsonString(),
            new JsonObject { ["messageId"] = coordinatorView["transfer"]!["messageId"]!.DeepClone(), ["receiverMunicipalityCode"] = coordinatorView["transfer"]!["receiverMunicipalityCode"]!.DeepClone(), ["state"] = coordinatorView["transfer"]!["state"]!.DeepClone(), ["acknowledgementDeadline"] = coordinatorView["transfer"]!["acknowledgementDeadline"]!.GetValue<DateTimeOffset>() }.ToJsonString());
        Assert.Null(memberView["transfer"]);
        await CaseApi.ProblemAsync(refused, Serverless.Problems.ProblemCatalogue.TransfersNotAcknowledged);
        Assert.Equal((false, true, true), (wrongPartner, acknowledged, again));
        Assert.Equal("acknowledged", (string)afterAcknowledgement["transfer"]!["state"]!);
        Assert.Equal(CaseApi.Now.AddHours(1), (await world.RowAsync(messageId)).AcknowledgedAt); // the first acknowledgement stands
        Assert.True(closed.StatusCode == HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AHighRiskCaseAlsoNeedsItsFaceToFaceHandOverRecordedAndOtherOutcomesAreNotHeld()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var otherId = await api.SharedCaseAsync();
        var messageId = await world.SentAsync(caseId, Body(risk: "high"));
        await world.SentAsync(otherId, Body(risk: "low", faceToFaceDate: null));
        var transfers = api.Host.Get<OutgoingTransferService>();
        Assert.Equal(CaseApi.Now.AddHours(24), (await world.RowAsync(messageId)).AcknowledgementDeadline);

        Assert.True(await transfers.MarkAcknowledgedAsync(messageId, Partner, CaseApi.Now, CancellationToken.None));
        using var notHandedOver = await CloseAsync(api, caseId, "transferred-to-another-municipality");
        Assert.True(await transfers.MarkHandedOverAsync(messageId, new DateOnly(2025, 6, 16), CancellationToken.None));
        using var handedOver = await CloseAsync(api, caseId, "transferred-to-another-municipality");
        using var otherOutcome = await CloseAsync(api, otherId, "moved-away-whereabouts-unknown");

        await CaseApi.ProblemAsync(notHandedOver, Serverless.Problems.ProblemCatalogue.TransfersNotAcknowledged);
        Assert.True(handedOver.StatusCode == HttpStatusCode.OK, await handedOver.Content.ReadAsStringAsync());
        Assert.True(otherOutcome.StatusCode == HttpStatusCode.OK, await otherOutcome.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task DeliveryPostsTheSealedBytesToThePartnerWhoOpensThemAndNeverPostsTwice()
    {
        using var partner = new PartnerListener(HttpStatusCode.Accepted);
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync(endpoint: partner.Endpoint);
        var caseId = await world.Api.SharedCaseAsync();
        var reportId = await world.Api.ReportIdAsync(caseId, EntryApi.Report());
        var messageId = await world.SentAsync(caseId);
        var delivery = world.Api.Host.Get<TransferDelivery>();

        await delivery.DeliverQueuedAsync(await QueuedTextAsync(world), CancellationToken.None);
        await delivery.DeliverQueuedAsync(await QueuedTextAsync(world), CancellationToken.None); // a duplicate message

        var received = Assert.Single(partner.Received);
        Assert.Equal(("POST", "/api/transfers/incoming", "application/octet-stream"), (received.Method, received.Path, received.ContentType));
        var message = TransferEnvelope.Open(received.Body, Partner, world.Theirs.Encryption, world.Ours.Signing);
        Assert.Equal((messageId, Own), (message.MessageId, message.SenderCode));
        var package = Assert.IsType<TransferPackage>(TransferPackage.Parse(message.Payload));
        Assert.Equal(caseId, package.SourceCaseId);
        Assert.Contains(reportId, package.EntryIds());
        Assert.StartsWith("母と本人で千代田区へ転居", package.Handover!.Summary);
        var row = await world.RowAsync(messageId);
        Assert.Equal(("delivered", 1, CaseApi.Now), (row.State, row.Attempts, row.DeliveredAt));
    }

    [Fact]
    public async Task ADeliveryThatKeepsFailingIsRetriedThenMarkedFailedAndTheCoordinatorsAlertedUrgently()
    {
        using var partner = new PartnerListener(HttpStatusCode.ServiceUnavailable);
        await using var world = await StartAsync(settings: new Dictionary<string, string> { ["Transfers:Delivery:MaxAttempts"] = "3" });
        await world.RegisterPartnerAsync(endpoint: partner.Endpoint);
        var caseId = await world.Api.SharedCaseAsync();
        var messageId = await world.SentAsync(caseId);
        var delivery = world.Api.Host.Get<TransferDelivery>();
        var text = await QueuedTextAsync(world);

        var first = await Assert.ThrowsAsync<TransferDeliveryException>(() => delivery.DeliverQueuedAsync(text, CancellationToken.None));
        var afterFirst = await world.RowAsync(messageId);
        Assert.Empty(await AlertsAsync(world));
        await Assert.ThrowsAsync<TransferDeliveryException>(() => delivery.DeliverQueuedAsync(text, CancellationToken.None));
        await Assert.ThrowsAsync<TransferDeliveryException>(() => delivery.DeliverQueuedAsync(text, CancellationToken.None));
        await delivery.DeliverQueuedAsync(text, CancellationToken.None); // once failed, a late retry posts nothing

        Assert.Equal("http-503", first.Failure);
        Assert.Equal(("queued", 1, "http-503"), (afterFirst.State, afterFirst.Attempts, afterFirst.LastFailure));
        Assert.Equal(3, partner.Received.Count);
        var row = await world.RowAsync(messageId);
        Assert.Equal(("failed", 3, CaseApi.Now), (row.State, row.Attempts, row.FailedAt));
        var alerts = await AlertsAsync(world);
        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert => Assert.Equal((NotificationKinds.TransferDeliveryFailed, caseId, true), (alert.Kind, alert.CaseId, alert.Urgent)));
        var coordinators = DemoPeople.People.Where(person => person.Role == Serverless.Identity.CallerRole.Coordinator).Select(person => person.PersonId).Order(StringComparer.Ordinal);
        Assert.Equal(coordinators, alerts.Select(alert => alert.PartitionKey).Order(StringComparer.Ordinal));
        Assert.Null(await world.Api.Host.Get<OutgoingTransferService>().ViewForCaseAsync(caseId, CancellationToken.None)); // the case is free to be sent again
    }

    [Fact]
    public async Task AMessageThatIsNotADeliveryIsRefusedForTheDeadLetters()
    {
        await using var world = await StartAsync();
        var delivery = world.Api.Host.Get<TransferDelivery>();

        await Assert.ThrowsAsync<Serverless.Queues.UnreadableMessageException>(() => delivery.DeliverQueuedAsync("""{"schemaVersion":1,"messageId":"山田太郎"}""", CancellationToken.None));
        await Assert.ThrowsAsync<Serverless.Queues.UnreadableMessageException>(() => delivery.DeliverQueuedAsync("not json", CancellationToken.None));
    }

    [Fact]
    public async Task AnUnacknowledgedTransferAlertsTheCoordinatorsWhenItsDeadlinePassesAndAgainEachDay()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var caseId = await world.Api.SharedCaseAsync();
        var acknowledgedId = await world.Api.SharedCaseAsync();
        var messageId = await world.SentAsync(caseId, Body(risk: "high"));
        var acknowledged = await world.SentAsync(acknowledgedId, Body(risk: "high"));
        Assert.True(await world.Api.Host.Get<OutgoingTransferService>().MarkAcknowledgedAsync(acknowledged, Partner, CaseApi.Now, CancellationToken.None));
        var deadlines = world.Api.Host.Get<TransferDeadlines>();
        var clock = world.Api.Host.Clock!;
        var coordinators = DemoPeople.People.Count(person => person.Role == Serverless.Identity.CallerRole.Coordinator);

        clock.Advance(TimeSpan.FromHours(23));
        var beforeDeadline = await deadlines.RunAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1));
        await deadlines.RunAsync(CancellationToken.None);
        await deadlines.RunAsync(CancellationToken.None); // the same day again: nothing new
        var firstDay = await OverdueAsync(world);
        clock.Advance(TimeSpan.FromDays(1));
        await deadlines.RunAsync(CancellationToken.None);
        var secondDay = await OverdueAsync(world);

        Assert.Equal(0, beforeDeadline);
        Assert.Equal(coordinators, firstDay.Count);
        Assert.Equal(2 * coordinators, secondDay.Count);
        Assert.All(secondDay, alert => Assert.Equal((NotificationKinds.TransferAcknowledgementOverdue, caseId, true), (alert.Kind, alert.CaseId, alert.Urgent)));
        _ = messageId;
    }

    private static async Task<List<NotificationEntity>> OverdueAsync(OutgoingTransferWorld world)
    {
        var inbox = world.Api.Host.Storage.Tables.GetTableClient(world.Api.Host.Names.Table(NotificationInbox.TableName));
        var alerts = new List<NotificationEntity>();
        await foreach (var row in inbox.QueryAsync<NotificationEntity>(TableClient.CreateQueryFilter($"Kind eq {NotificationKinds.TransferAcknowledgementOverdue}")))
        {
            alerts.Add(row);
        }

        return alerts;
    }

    private static Task<HttpResponseMessage> CloseAsync(CaseApi api, string caseId, string outcome)
        => CloseWithETagAsync(api, caseId, outcome);

    private static async Task<HttpResponseMessage> CloseWithETagAsync(CaseApi api, string caseId, string outcome)
    {
        using var current = await api.GetAsync(caseId);
        return await api.PatchAsync(caseId, CaseApi.ETag(current), "終結", new JsonObject { ["status"] = "closed", ["closure"] = OutgoingTransferTests.Closure(outcome) });
    }

    private static async Task<string> QueuedTextAsync(OutgoingTransferWorld world)
    {
        var queue = new QueueClient(TestStorage.ConnectionString, world.Api.Host.Names.Queue(TransferDeliveryQueue.Name), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        return Assert.Single((await queue.PeekMessagesAsync(10)).Value).MessageText;
    }

    private static async Task<List<NotificationEntity>> AlertsAsync(OutgoingTransferWorld world)
    {
        var inbox = world.Api.Host.Storage.Tables.GetTableClient(world.Api.Host.Names.Table(NotificationInbox.TableName));
        var alerts = new List<NotificationEntity>();
        await foreach (var row in inbox.QueryAsync<NotificationEntity>(TableClient.CreateQueryFilter($"Kind eq {NotificationKinds.TransferDeliveryFailed}")))
        {
            alerts.Add(row);
        }

        return alerts;
    }
}

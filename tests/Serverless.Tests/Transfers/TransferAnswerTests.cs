using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Serverless.Audit;
using Serverless.DevHost;
using Serverless.Notifications;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Infrastructure;
using Serverless.Transfers.Answers;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Partners;
using static Serverless.Tests.Transfers.OutgoingTransferWorld;

namespace Serverless.Tests.Transfers;

/// <summary>
/// The signed answer back (issue #17), with two councils in one Azurite: 高松市 (<see cref="OutgoingTransferWorld"/>, 372013)
/// sends the package; 千代田区 (131016, a second host holding the partner's keys) answers through its outbox. Its delivery
/// posts to a local listener; the bytes it got are then posted to 高松市's own intake, as the partner's HTTP call would.
/// </summary>
public sealed class TransferAnswerTests
{
    private const string Name = "千代田 花子";

    /// <summary>The sender (with its decryption key: it receives answers), the partner registered, one case sent.</summary>
    private static async Task<(OutgoingTransferWorld World, string CaseId, string MessageId)> SentAsync()
    {
        var world = await StartAsync(receives: true);
        await world.RegisterPartnerAsync();
        var caseId = await world.Api.SharedCaseAsync();
        return (world, caseId, await world.SentAsync(caseId));
    }

    /// <summary>The receiving council's host: its own code and signing key (the partner's keys of the world), and the
    /// sender registered and confirmed there with the sender's public keys and <paramref name="endpoint"/>.</summary>
    internal static async Task<CaseApi> ReceiverAsync(OutgoingTransferWorld world, string endpoint, IReadOnlyDictionary<string, string>? settings = null, bool backgroundTriggers = false, Action<Serverless.DevHost.HostSettings>? hostSettings = null)
    {
        var all = new Dictionary<string, string>
        {
            ["Transfers:MunicipalityCode"] = Partner,
            ["Transfers:SigningKeyPem"] = world.Theirs.SigningPrivatePem,
            ["Transfers:DecryptionKeyPem"] = world.Theirs.EncryptionPrivatePem,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }
        var api = await CaseApi.StartAsync(backgroundTriggers: backgroundTriggers, settings: all, hostSettings: hostSettings);
        Assert.True(await api.Host.Get<TransferPartnerStore>().SaveAsync(
            new TransferPartnerEntity
            {
                RowKey = Own,
                DisplayName = "高松市 こども家庭課",
                EndpointUrl = endpoint,
                EncryptionKeyPem = world.Ours.EncryptionPublicPem,
                EncryptionKeyFingerprint = world.Ours.EncryptionFingerprint,
                VerificationKeyPem = world.Ours.SigningPublicPem,
                VerificationKeyFingerprint = world.Ours.SigningFingerprint,
                Version = 1,
                UpdatedAt = CaseApi.Now,
                UpdatedBy = "p-admin",
                ConfirmedVersion = 1,
                ConfirmedAt = CaseApi.Now,
                ConfirmedBy = DemoPeople.PersonId(CaseApi.Coordinator),
            },
            CancellationToken.None));
        return api;
    }

    private static TransferAnswer Acknowledgement(string packageMessageId, DateTimeOffset? at = null)
        => new(Own, packageMessageId, TransferAnswerKinds.Acknowledgement, at ?? CaseApi.Now.AddHours(3), Name, null);

    private static TransferAnswer MoreRequest(string packageMessageId, string request = "直近の家庭訪問記録と学校との連携記録を送ってください。", DateTimeOffset? at = null)
        => new(Own, packageMessageId, TransferAnswerKinds.MoreRequest, at ?? CaseApi.Now.AddHours(2), Name, request);

    private static QueueClient AnswerQueue(CaseApi api)
        => new(TestStorage.ConnectionString, api.Host.Names.Queue(TransferAnswerQueue.Name), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private static async Task<List<string>> QueuedTextsAsync(CaseApi api)
        => [.. (await AnswerQueue(api).PeekMessagesAsync(32)).Value.Select(message => message.MessageText)];

    private static async Task<List<TableEntity>> RowsAsync(CaseApi api, string table)
        => await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(table)).QueryAsync<TableEntity>().ToListAsync();

    /// <summary>Hands the answer to the receiver's outbox and delivers what it queued; returns the bytes the listener got.</summary>
    private static async Task<byte[]> DeliveredAsync(CaseApi receiver, PartnerListener listener, TransferAnswer answer)
    {
        var before = listener.Received.Count;
        await receiver.Host.Get<ITransferAnswerOutbox>().SendAsync(answer, CancellationToken.None);
        var text = (await AnswerQueue(receiver).ReceiveMessageAsync()).Value;
        await receiver.Host.Get<TransferAnswerDelivery>().DeliverQueuedAsync(text.MessageText, CancellationToken.None);
        await AnswerQueue(receiver).DeleteMessageAsync(text.MessageId, text.PopReceipt);
        Assert.Equal(before + 1, listener.Received.Count);
        return listener.Received[^1].Body;
    }

    private static Task<HttpResponseMessage> PostToIntakeAsync(OutgoingTransferWorld world, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return world.Api.SendAsync(HttpMethod.Post, "api/transfers/incoming", person: null, content);
    }

    private static async Task<HttpResponseMessage> CloseAsTransferredAsync(CaseApi api, string caseId)
    {
        using var current = await api.GetAsync(caseId);
        return await api.PatchAsync(caseId, CaseApi.ETag(current), "終結", new JsonObject { ["status"] = "closed", ["closure"] = OutgoingTransferTests.Closure("transferred-to-another-municipality") });
    }

    private static async Task<List<NotificationEntity>> NotificationsAsync(CaseApi api, string kind)
    {
        var inbox = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(NotificationInbox.TableName));
        return await inbox.QueryAsync<NotificationEntity>(TableClient.CreateQueryFilter($"Kind eq {kind}")).ToListAsync();
    }

    [Fact]
    public async Task TheOutboxPersistsOneRowPerAnswerQueuesIdsOnlyAndQueuesNothingOnceDelivered()
    {
        using var listener = new PartnerListener(HttpStatusCode.Accepted);
        await using var world = await StartAsync();
        await using var receiver = await ReceiverAsync(world, listener.Endpoint);
        var outbox = receiver.Host.Get<ITransferAnswerOutbox>();
        var packageId = TransferIds.NewMessageId();

        await outbox.SendAsync(Acknowledgement(packageId), CancellationToken.None);
        await outbox.SendAsync(Acknowledgement(packageId), CancellationToken.None); // a crash after the row: called again
        await outbox.SendAsync(MoreRequest(packageId), CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.SendAsync(MoreRequest(packageId, request: new string('依', TransferAnswerLimits.MaxRequestLength + 1)), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.SendAsync(Acknowledgement(packageId) with { Request = "余計" }, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.SendAsync(Acknowledgement("tm-nope"), CancellationToken.None));

        var rows = await RowsAsync(receiver, TransferAnswerStore.TableName);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal((Own, "queued", Name), (row.PartitionKey, row.GetString("State"), row.GetString("AnsweredByName"))));
        Assert.Contains(rows, row => row.RowKey == $"{packageId}_acknowledgement");
        var texts = await QueuedTextsAsync(receiver);
        Assert.Equal(3, texts.Count);
        Assert.All(texts, text => Assert.DoesNotContain("千代田", text, StringComparison.Ordinal));
        Assert.Contains($$"""{"schemaVersion":1,"senderCode":"{{Own}}","answerKey":"{{packageId}}_acknowledgement"}""", texts);

        var delivery = receiver.Host.Get<TransferAnswerDelivery>();
        foreach (var text in texts)
        {
            await delivery.DeliverQueuedAsync(text, CancellationToken.None); // the duplicate posts nothing
        }

        await AnswerQueue(receiver).ClearMessagesAsync();
        await outbox.SendAsync(Acknowledgement(packageId), CancellationToken.None);

        Assert.Equal(2, listener.Received.Count);
        Assert.Empty(await QueuedTextsAsync(receiver));
        var acknowledgement = Assert.IsType<TransferAnswerEntity>(await receiver.Host.Get<TransferAnswerStore>().GetAsync(Own, $"{packageId}_acknowledgement", CancellationToken.None));
        Assert.Equal(("delivered", 1, CaseApi.Now), (acknowledgement.State, acknowledgement.Attempts, acknowledgement.DeliveredAt));
        Assert.DoesNotContain(receiver.Host.Logs.Entries, entry => entry.Text.Contains("千代田 花子", StringComparison.Ordinal) || entry.Text.Contains("家庭訪問", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADeliveredAcknowledgementIsAcceptedByTheSenderFlipsTheTransferShowsOnTheCaseAndLetsItCloseAs移管()
    {
        using var listener = new PartnerListener(HttpStatusCode.Accepted);
        var (world, caseId, messageId) = await SentAsync();
        await using var _ = world;
        await using var receiver = await ReceiverAsync(world, listener.Endpoint);
        var answeredAt = CaseApi.Now.AddHours(3);

        var sealedBytes = await DeliveredAsync(receiver, listener, Acknowledgement(messageId, answeredAt));
        var message = TransferEnvelope.Open(sealedBytes, Own, world.Ours.Encryption, world.Theirs.Signing); // signed by the partner, for us
        using var accepted = await PostToIntakeAsync(world, sealedBytes);

        Assert.Equal(("acknowledgement", Partner), (message.Kind, message.SenderCode));
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        Assert.Equal(message.MessageId, (string?)(await CaseApi.BodyAsync(accepted))["messageId"]);
        var row = await world.RowAsync(messageId);
        Assert.Equal(("acknowledged", (DateTimeOffset?)answeredAt, Name), (row.State, row.AcknowledgedAt, row.AcknowledgedBy));
        var stored = Assert.Single(await RowsAsync(world.Api, ReceivedTransferAnswerStore.TableName));
        Assert.Equal((Partner, message.MessageId, messageId, caseId, "acknowledgement"), (stored.PartitionKey, stored.RowKey, stored.GetString("PackageMessageId"), stored.GetString("CaseId"), stored.GetString("Kind")));
        Assert.Empty(await RowsAsync(world.Api, Serverless.Transfers.Incoming.IncomingTransferStore.TableName)); // answers are not packages
        var view = (await CaseApi.BodyAsync(await world.Api.GetAsync(caseId)))["transfer"]!;
        Assert.Equal(("acknowledged", Name, answeredAt), ((string)view["state"]!, (string)view["acknowledgedBy"]!, view["acknowledgedAt"]!.GetValue<DateTimeOffset>()));
        Assert.Empty(view["moreRequests"]!.AsArray());
        var audited = await world.Api.Host.Get<AuditQuery>().ByActorAsync(Partner, CaseApi.Now.AddDays(-1), CaseApi.Now.AddDays(1), AuditQuery.MaxPageSize, null, CancellationToken.None);
        Assert.Contains(Assert.IsType<AuditQueryOutcome.Done>(audited).Page.Entries, entry => entry.Action == AuditActions.TransferAnswerReceive && entry.Kind != AuditEntryKinds.Intent);
        using var closed = await CloseAsTransferredAsync(world.Api, caseId);
        Assert.True(closed.StatusCode == HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        world.Api.Host.Clock!.Advance(TimeSpan.FromDays(4)); // past the 72-hour deadline
        Assert.Equal(0, await world.Api.Host.Get<TransferDeadlines>().RunAsync(CancellationToken.None)); // acknowledged: no longer chased
    }

    [Fact]
    public async Task AMoreRequestIsKeptNotifiesTheCoordinatorsUrgentlyAndALaterAcknowledgementStillFlipsIt()
    {
        using var listener = new PartnerListener(HttpStatusCode.Accepted);
        var (world, caseId, messageId) = await SentAsync();
        await using var _ = world;
        await using var receiver = await ReceiverAsync(world, listener.Endpoint);
        const string Request = "直近の家庭訪問記録（2025年5月以降）と学校との連携記録を送ってください。𠮷野家の件も。";

        var moreRequest = await DeliveredAsync(receiver, listener, MoreRequest(messageId, Request));
        using var accepted = await PostToIntakeAsync(world, moreRequest);
        var afterRequest = await world.RowAsync(messageId);
        var view = (await CaseApi.BodyAsync(await world.Api.GetAsync(caseId)))["transfer"]!;
        using var notYet = await CloseAsTransferredAsync(world.Api, caseId);
        var notified = await NotificationsAsync(world.Api, NotificationKinds.TransferMoreRequested);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("more-requested", afterRequest.State);
        Assert.Equal("more-requested", (string)view["state"]!);
        var shown = Assert.Single(view["moreRequests"]!.AsArray())!;
        Assert.Equal((Request, Name, CaseApi.Now.AddHours(2)), ((string)shown["request"]!, (string)shown["requestedBy"]!, shown["requestedAt"]!.GetValue<DateTimeOffset>()));
        await CaseApi.ProblemAsync(notYet, ProblemCatalogue.TransfersNotAcknowledged);
        Assert.NotEmpty(notified);
        Assert.All(notified, notification => Assert.Equal((caseId, true), (notification.CaseId, notification.Urgent)));
        Assert.DoesNotContain(world.Api.Host.Logs.Entries, entry => entry.Text.Contains("家庭訪問", StringComparison.Ordinal) || entry.Text.Contains(Name, StringComparison.Ordinal));

        using var again = await PostToIntakeAsync(world, moreRequest); // a repeat: nothing doubled
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Single(TransferMoreRequests.Read((await world.RowAsync(messageId)).MoreRequests));
        Assert.Equal(notified.Count, (await NotificationsAsync(world.Api, NotificationKinds.TransferMoreRequested)).Count);

        using var acknowledged = await PostToIntakeAsync(world, await DeliveredAsync(receiver, listener, Acknowledgement(messageId)));
        Assert.Equal(HttpStatusCode.Accepted, acknowledged.StatusCode);
        var row = await world.RowAsync(messageId);
        Assert.Equal(("acknowledged", 1), (row.State, TransferMoreRequests.Read(row.MoreRequests).Count));
        Assert.Equal(2, (await RowsAsync(world.Api, ReceivedTransferAnswerStore.TableName)).Count);
    }

    [Fact]
    public async Task AnAnswerForAPackageNeverSentToThatPartnerIsRefusedWithNothingStored()
    {
        using var listener = new PartnerListener(HttpStatusCode.Accepted);
        var (world, _, messageId) = await SentAsync();
        await using var disposeWorld = world;
        // A second confirmed partner (same test keys, another code): it may not answer for a package sent to 131016.
        await world.RegisterPartnerAsync(code: "011002");
        await using var receiver = await ReceiverAsync(world, listener.Endpoint);
        await using var other = await ReceiverAsync(world, listener.Endpoint, settings: new Dictionary<string, string> { ["Transfers:MunicipalityCode"] = "011002" });

        using var unknown = await PostToIntakeAsync(world, await DeliveredAsync(receiver, listener, Acknowledgement(TransferIds.NewMessageId())));
        using var notTheirs = await PostToIntakeAsync(world, await DeliveredAsync(other, listener, Acknowledgement(messageId)));

        await CaseApi.ProblemAsync(unknown, ProblemCatalogue.TransferRefused);
        await CaseApi.ProblemAsync(notTheirs, ProblemCatalogue.TransferRefused);
        Assert.Equal(2, world.Api.Host.Logs.Entries.Count(entry => entry.Text.Contains($"refused: {Serverless.Transfers.Incoming.IntakeRefusals.UnknownPackage}", StringComparison.Ordinal)));
        Assert.Empty(await RowsAsync(world.Api, ReceivedTransferAnswerStore.TableName));
        var row = await world.RowAsync(messageId);
        Assert.Equal(("queued", (DateTimeOffset?)null, (string?)null), (row.State, row.AcknowledgedAt, row.AcknowledgedBy));
    }

    [Fact]
    public async Task AWithdrawnTransferIsNotFlippedByAnAcknowledgementButAFailedOneIs()
    {
        using var listener = new PartnerListener(HttpStatusCode.Accepted);
        var (world, caseId, messageId) = await SentAsync();
        await using var _ = world;
        var otherCase = await world.Api.SharedCaseAsync();
        var failedId = await world.SentAsync(otherCase);
        await using var receiver = await ReceiverAsync(world, listener.Endpoint);
        using var withdrawn = await world.Api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/transfers/{messageId}/withdrawal", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["reason"] = "家族が転居を取りやめたため。" }));
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var store = world.Api.Host.Get<OutgoingTransferStore>();
        var failing = await world.RowAsync(failedId);
        failing.State = OutgoingTransferStates.Failed;
        failing.LastFailure = "http-503";
        Assert.True(await store.UpdateAsync(failing, CancellationToken.None));

        using var late = await PostToIntakeAsync(world, await DeliveredAsync(receiver, listener, Acknowledgement(messageId)));
        var direct = await world.Api.Host.Get<OutgoingTransferService>().MarkAcknowledgedAsync(messageId, Partner, CaseApi.Now, "誰か", CancellationToken.None);
        using var afterFailure = await PostToIntakeAsync(world, await DeliveredAsync(receiver, listener, Acknowledgement(failedId)));

        Assert.Equal(HttpStatusCode.Accepted, late.StatusCode); // stored as evidence, audited
        Assert.Equal(TransferAnswerApplied.Ignored, direct);
        var row = await world.RowAsync(messageId);
        Assert.Equal(("withdrawn", (DateTimeOffset?)null, (string?)null), (row.State, row.AcknowledgedAt, row.AcknowledgedBy));
        Assert.Equal(HttpStatusCode.Accepted, afterFailure.StatusCode);
        var cleared = await world.RowAsync(failedId);
        Assert.Equal(("acknowledged", (string?)null, Name), (cleared.State, cleared.LastFailure, cleared.AcknowledgedBy));
    }

    [Fact]
    public async Task AnAnswerThatKeepsFailingIsMarkedFailedAndTheReceivingCoordinatorsAlertedUrgently()
    {
        using var listener = new PartnerListener(HttpStatusCode.ServiceUnavailable);
        await using var world = await StartAsync();
        await using var receiver = await ReceiverAsync(world, listener.Endpoint, settings: new Dictionary<string, string> { ["Transfers:Delivery:MaxAttempts"] = "2" });
        var packageId = TransferIds.NewMessageId();
        await receiver.Host.Get<ITransferAnswerOutbox>().SendAsync(Acknowledgement(packageId), CancellationToken.None);
        var text = Assert.Single(await QueuedTextsAsync(receiver));
        var delivery = receiver.Host.Get<TransferAnswerDelivery>();

        var first = await Assert.ThrowsAsync<TransferDeliveryException>(() => delivery.DeliverQueuedAsync(text, CancellationToken.None));
        Assert.Empty(await NotificationsAsync(receiver, NotificationKinds.TransferAnswerFailed));
        await Assert.ThrowsAsync<TransferDeliveryException>(() => delivery.DeliverQueuedAsync(text, CancellationToken.None));
        await delivery.DeliverQueuedAsync(text, CancellationToken.None); // once failed, a late retry posts nothing

        Assert.Equal("http-503", first.Failure);
        Assert.Equal(2, listener.Received.Count);
        var row = Assert.IsType<TransferAnswerEntity>(await receiver.Host.Get<TransferAnswerStore>().GetAsync(Own, $"{packageId}_acknowledgement", CancellationToken.None));
        Assert.Equal(("failed", 2, "http-503"), (row.State, row.Attempts, row.LastFailure));
        var alerts = await NotificationsAsync(receiver, NotificationKinds.TransferAnswerFailed);
        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert => Assert.Equal(("", true), (alert.CaseId, alert.Urgent)));
    }

    [Fact]
    public async Task TheAnswerTablesAndQueueAreDeclaredStorageResources()
    {
        await using var world = await StartAsync();
        var resources = world.Api.Host.Get<Microsoft.Extensions.Options.IOptions<Serverless.Storage.StorageResources>>().Value;

        Assert.Contains(TransferAnswerStore.TableName, resources.Tables);
        Assert.Contains(ReceivedTransferAnswerStore.TableName, resources.Tables);
        Assert.Contains(TransferAnswerQueue.Name, resources.WorkQueues);
    }
}

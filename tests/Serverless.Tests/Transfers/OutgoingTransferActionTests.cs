using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Serverless.Audit;
using Serverless.Cases.Storage;
using Serverless.Entries;
using Serverless.Files.Storage;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Infrastructure;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Packages;
using static Serverless.Tests.Transfers.OutgoingTransferWorld;

namespace Serverless.Tests.Transfers;

/// <summary>
/// What a coordinator does with a transfer after the send: records the face-to-face hand-over, withdraws it; the limits
/// a package must keep (the receiving intake's, checked before anything is sealed); the re-queueing sweep and the
/// delivery's claim, so a transfer left without a message is delivered and none is posted twice at once.
/// </summary>
public sealed class OutgoingTransferActionTests
{
    private const string SentOn = "2025-06-16"; // CaseApi.Now (15:30 UTC) is 00:30 the next day in Japan

    [Fact]
    public async Task AHandOverIsRecordedOnTheCasesOwnTransferWithARealDateNeitherFutureNorBeforeTheSend()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var otherId = await api.SharedCaseAsync();
        var messageId = await world.SentAsync(caseId, Body(risk: "high"));
        var otherMessageId = await world.SentAsync(otherId);
        Assert.True(await api.Host.Get<OutgoingTransferService>().MarkAcknowledgedAsync(messageId, Partner, CaseApi.Now, CancellationToken.None));

        using var member = await HandoverAsync(world, caseId, messageId, SentOn, EntryApi.Teacher);
        using var hidden = await HandoverAsync(world, caseId, messageId, SentOn, EntryApi.UnnamedTeacher);
        using var anotherCasesTransfer = await HandoverAsync(world, caseId, otherMessageId, SentOn);
        using var unknown = await HandoverAsync(world, caseId, TransferIds.NewMessageId(), SentOn);
        using var notAnId = await HandoverAsync(world, caseId, "山田太郎", SentOn);
        using var future = await HandoverAsync(world, caseId, messageId, "2025-06-17");
        using var beforeSend = await HandoverAsync(world, caseId, messageId, "2025-06-15");
        using var missing = await HandoverAsync(world, caseId, messageId, null);
        using var notADate = await HandoverAsync(world, caseId, messageId, "2025-02-30");
        Assert.Null((await world.RowAsync(messageId)).HandedOverOn);
        using var recorded = await HandoverAsync(world, caseId, messageId, SentOn);

        await CaseApi.ProblemAsync(member, ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(hidden, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(anotherCasesTransfer, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(unknown, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(notAnId, ProblemCatalogue.NotFound);
        await CaseApi.ValidationErrorsAsync(future, ("$.date", "future-date"));
        await CaseApi.ValidationErrorsAsync(beforeSend, ("$.date", "date-order"));
        await CaseApi.ValidationErrorsAsync(missing, ("$.date", "required"));
        Assert.Equal(HttpStatusCode.BadRequest, notADate.StatusCode);
        var view = await CaseApi.BodyAsync(recorded);
        Assert.True(recorded.StatusCode == HttpStatusCode.OK, view.ToJsonString());
        Assert.Equal((messageId, Partner, "acknowledged"), ((string)view["messageId"]!, (string)view["receiverMunicipalityCode"]!, (string)view["state"]!));
        Assert.Equal(SentOn, (await world.RowAsync(messageId)).HandedOverOn);
        Assert.Null((await world.RowAsync(otherMessageId)).HandedOverOn);

        // The high-risk case now closes as transferred; the record is in the case's audit with the transfer as target.
        using var current = await api.GetAsync(caseId);
        using var closed = await api.PatchAsync(caseId, CaseApi.ETag(current), "終結", new JsonObject { ["status"] = "closed", ["closure"] = OutgoingTransferTests.Closure("transferred-to-another-municipality") });
        Assert.True(closed.StatusCode == HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        var byCase = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, null, null, CancellationToken.None)).Page.Entries;
        Assert.Contains(byCase, entry => entry.Action == AuditActions.TransferHandoverRecord && entry.Kind == AuditEntryKinds.Outcome && entry.Outcome == "Succeeded");
        var logged = (await world.CoordinatorAuditAsync()).Single(entry => entry.Action == AuditActions.TransferHandoverRecord && entry.Outcome == "Succeeded");
        Assert.Equal((Partner, messageId), (logged.Target!.MunicipalityCode, logged.Target.MessageId));
    }

    [Fact]
    public async Task AWithdrawnTransferFreesTheCaseIsNotChasedAndItsQueuedDeliveryPostsNothing()
    {
        using var partner = new PartnerListener(HttpStatusCode.Accepted);
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync(endpoint: partner.Endpoint);
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var chasedId = await api.SharedCaseAsync();
        var messageId = await world.SentAsync(caseId);
        var queuedText = Assert.Single(await QueuedAsync(world));
        await world.SentAsync(chasedId); // not withdrawn: its deadline is chased

        using var member = await WithdrawAsync(world, caseId, messageId, "転居の取りやめ", EntryApi.Teacher);
        using var empty = await WithdrawAsync(world, caseId, messageId, "  ");
        using var tooLong = await WithdrawAsync(world, caseId, messageId, new string('理', OutgoingTransferLimits.MaxWithdrawalReasonLength + 1));
        Assert.Equal("queued", (await world.RowAsync(messageId)).State);
        using var withdrawn = await WithdrawAsync(world, caseId, messageId, "家族が転居を取りやめたため。");
        using var again = await WithdrawAsync(world, caseId, messageId, "二度目");

        await CaseApi.ProblemAsync(member, ProblemCatalogue.Forbidden);
        await CaseApi.ValidationErrorsAsync(empty, ("$.reason", "required"));
        await CaseApi.ValidationErrorsAsync(tooLong, ("$.reason", "too-long"));
        var view = await CaseApi.BodyAsync(withdrawn);
        Assert.True(withdrawn.StatusCode == HttpStatusCode.OK, view.ToJsonString());
        Assert.Equal((messageId, "withdrawn"), ((string)view["messageId"]!, (string)view["state"]!));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var row = await world.RowAsync(messageId);
        Assert.Equal(("withdrawn", "家族が転居を取りやめたため。", Serverless.DevHost.DemoPeople.PersonId(CaseApi.Coordinator), CaseApi.Now), (row.State, row.WithdrawalReason, row.WithdrawnBy, row.WithdrawnAt));

        // The delivery already queued posts nothing; the deadline timer chases only the other case's transfer.
        await api.Host.Get<TransferDelivery>().DeliverQueuedAsync(queuedText, CancellationToken.None);
        Assert.Empty(partner.Received);
        Assert.Equal(0, (await world.RowAsync(messageId)).Attempts);
        api.Host.Clock!.Advance(TimeSpan.FromHours(73));
        Assert.Equal(1, await api.Host.Get<TransferDeadlines>().RunAsync(CancellationToken.None));

        // The case no longer shows a transfer, closes on any outcome's rules and may be sent again.
        var caseView = await CaseApi.BodyAsync(await api.GetAsync(caseId));
        Assert.Null(caseView["transfer"]);
        var next = await world.SentAsync(caseId);
        Assert.NotEqual(messageId, next);
        Assert.Equal(next, (string)(await CaseApi.BodyAsync(await api.GetAsync(caseId)))["transfer"]!["messageId"]!);

        var byCase = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, null, null, CancellationToken.None)).Page.Entries;
        Assert.Contains(byCase, entry => entry.Action == AuditActions.TransferWithdraw && entry.Kind == AuditEntryKinds.Outcome && entry.Outcome == "Succeeded");
        var logged = (await world.CoordinatorAuditAsync()).Where(entry => entry.Action == AuditActions.TransferWithdraw && entry.Outcome == "Succeeded").ToList();
        Assert.Equal(2, logged.Count);
        Assert.All(logged, entry => Assert.Equal((Partner, messageId), (entry.Target!.MunicipalityCode, entry.Target.MessageId)));
    }

    [Fact]
    public async Task AnAcknowledgedTransferCannotBeWithdrawnAFailedOneCanAndAWithdrawnOneTakesNoHandOver()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var api = world.Api;
        var acknowledgedCase = await api.SharedCaseAsync();
        var failedCase = await api.SharedCaseAsync();
        var acknowledged = await world.SentAsync(acknowledgedCase);
        var failed = await world.SentAsync(failedCase);
        Assert.True(await api.Host.Get<OutgoingTransferService>().MarkAcknowledgedAsync(acknowledged, Partner, CaseApi.Now, CancellationToken.None));
        var failedRow = await world.RowAsync(failed);
        failedRow.State = OutgoingTransferStates.Failed;
        Assert.True(await api.Host.Get<OutgoingTransferStore>().UpdateAsync(failedRow, CancellationToken.None));

        using var refused = await WithdrawAsync(world, acknowledgedCase, acknowledged, "取り下げたい");
        using var withdrawnFailed = await WithdrawAsync(world, failedCase, failed, "送り直すため");
        using var handoverOnWithdrawn = await HandoverAsync(world, failedCase, failed, SentOn);

        await CaseApi.ProblemAsync(refused, ProblemCatalogue.TransfersAlreadyAcknowledged);
        Assert.Equal("acknowledged", (await world.RowAsync(acknowledged)).State);
        Assert.Equal(HttpStatusCode.OK, withdrawnFailed.StatusCode);
        Assert.Equal("withdrawn", (await world.RowAsync(failed)).State);
        await CaseApi.ProblemAsync(handoverOnWithdrawn, ProblemCatalogue.TransfersNotActive);
        Assert.Null((await world.RowAsync(failed)).HandedOverOn);
    }

    [Fact]
    public async Task APackageOverTheIntakesEntryLimitIsRefusedBeforeAnythingIsSealed()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var commentId = await api.CommentIdAsync(caseId, new JsonObject { ["text"] = "経過の記録" });
        var existing = await AllEntriesAsync(world, caseId);
        var comment = existing.Single(entry => entry.EntryId == commentId);
        await CloneEntriesAsync(world, comment, IncomingTransferLimits.MaxEntries - existing.Count);

        var atLimit = await world.SentAsync(caseId);
        Assert.Equal(IncomingTransferLimits.MaxEntries, (await SentPackageAsync(world, atLimit)).Timeline.Count);
        using (var withdrawn = await WithdrawAsync(world, caseId, atLimit, "記録を追加して送り直す"))
        {
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        }

        await CloneEntriesAsync(world, comment, 1);
        using var overLimit = await world.SendAsync(caseId, Body());

        var problem = await CaseApi.ProblemAsync(overLimit, ProblemCatalogue.TransfersPackageTooLarge);
        Assert.Equal(OutgoingTransferRefusals.PackageTooLarge, (string?)problem["reason"]);
        var detail = (string)problem["detail"]!;
        Assert.Contains("記録 1001 件・添付ファイル 0 件", detail, StringComparison.Ordinal);
        Assert.Contains("記録 1000 件・ファイル 400 件", detail, StringComparison.Ordinal);
        await AssertOnlyStoredAsync(world, atLimit);
    }

    [Fact]
    public async Task APackageOverTheIntakesFileLimitIsRefusedBeforeAnythingIsSealed()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var fileId = await world.ReadyFileAsync(caseId);
        var report = EntryApi.Report("連絡票を添付します。");
        report["files"] = new JsonArray(fileId);
        await api.ReportIdAsync(caseId, report);
        var file = Assert.IsType<StoredFile>(await api.Host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None));
        Assert.NotNull(file.EntryId);
        await CloneFilesAsync(world, file, IncomingTransferLimits.MaxFiles - 1);

        var atLimit = await world.SentAsync(caseId);
        Assert.Equal(IncomingTransferLimits.MaxFiles, (await SentPackageAsync(world, atLimit)).FileHashes().Count);
        using (var withdrawn = await WithdrawAsync(world, caseId, atLimit, "添付を追加して送り直す"))
        {
            Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        }

        await CloneFilesAsync(world, file, 1);
        using var overLimit = await world.SendAsync(caseId, Body(), CaseApi.Coordinator);
        using var english = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/transfers", CaseApi.Coordinator, CaseApi.Json(Body()), request => request.Headers.AcceptLanguage.ParseAdd("en"));

        var problem = await CaseApi.ProblemAsync(overLimit, ProblemCatalogue.TransfersPackageTooLarge);
        Assert.Contains("添付ファイル 401 件", (string)problem["detail"]!, StringComparison.Ordinal);
        var englishProblem = await CaseApi.ProblemAsync(english, ProblemCatalogue.TransfersPackageTooLarge, ProblemLanguage.English);
        Assert.Contains("401 file references", (string)englishProblem["detail"]!, StringComparison.Ordinal);
        await AssertOnlyStoredAsync(world, atLimit);
    }

    [Fact]
    public async Task AQueuedTransferLeftWithoutAMessageIsQueuedAgainOnceAfterTheWaitAndDeliveredOnce()
    {
        using var partner = new PartnerListener(HttpStatusCode.Accepted);
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync(endpoint: partner.Endpoint);
        var api = world.Api;
        var caseId = await api.SharedCaseAsync();
        var messageId = await world.SentAsync(caseId);
        await QueueClientOf(world).ClearMessagesAsync(); // a crash between the pointer and the enqueue
        var requeue = api.Host.Get<TransferRequeue>();
        var clock = api.Host.Clock!;

        clock.Advance(TimeSpan.FromMinutes(14));
        var early = await requeue.RunAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(2));
        var together = await Task.WhenAll(requeue.RunAsync(CancellationToken.None), requeue.RunAsync(CancellationToken.None)); // two timer runs at once
        var sameTime = await requeue.RunAsync(CancellationToken.None);

        Assert.Equal(0, early);
        Assert.Equal(1, together.Sum());
        Assert.Equal(0, sameTime);
        var text = Assert.Single(await QueuedAsync(world));
        Assert.Equal(CaseApi.Now.AddMinutes(16), (await world.RowAsync(messageId)).RequeuedAt);

        // The wait counts from the last enqueue; once an attempt was made, the queue's own retries take over.
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(0, await requeue.RunAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await requeue.RunAsync(CancellationToken.None));
        var delivery = api.Host.Get<TransferDelivery>();
        await delivery.DeliverQueuedAsync(text, CancellationToken.None);
        await delivery.DeliverQueuedAsync(text, CancellationToken.None); // the second message
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await requeue.RunAsync(CancellationToken.None));

        Assert.Single(partner.Received);
        var row = await world.RowAsync(messageId);
        Assert.Equal(("delivered", 1), (row.State, row.Attempts));
    }

    [Fact]
    public async Task ASecondDeliveryMessageWhileAnAttemptIsInFlightPostsNothing()
    {
        using var partner = new PartnerListener(HttpStatusCode.Accepted, hold: true);
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync(endpoint: partner.Endpoint);
        var caseId = await world.Api.SharedCaseAsync();
        var messageId = await world.SentAsync(caseId);
        var text = Assert.Single(await QueuedAsync(world));
        var delivery = world.Api.Host.Get<TransferDelivery>();

        var first = delivery.DeliverQueuedAsync(text, CancellationToken.None);
        await partner.FirstReceived.WaitAsync(TimeSpan.FromSeconds(30));
        var held = await world.RowAsync(messageId);
        await delivery.DeliverQueuedAsync(text, CancellationToken.None); // a re-queued duplicate, while the first waits for its answer
        partner.Release();
        await first;

        Assert.Equal(("queued", 1), (held.State, held.Attempts));
        Assert.True(held.DeliveringUntil > CaseApi.Now);
        Assert.Single(partner.Received);
        var row = await world.RowAsync(messageId);
        Assert.Equal(("delivered", 1, (DateTimeOffset?)null), (row.State, row.Attempts, row.DeliveringUntil));
    }

    [Fact]
    public async Task AFailedAttemptReleasesItsClaimSoTheRetryPostsAgain()
    {
        using var partner = new PartnerListener(HttpStatusCode.ServiceUnavailable);
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync(endpoint: partner.Endpoint);
        var caseId = await world.Api.SharedCaseAsync();
        var messageId = await world.SentAsync(caseId);
        var text = Assert.Single(await QueuedAsync(world));
        var delivery = world.Api.Host.Get<TransferDelivery>();

        await Assert.ThrowsAsync<TransferDeliveryException>(() => delivery.DeliverQueuedAsync(text, CancellationToken.None));
        await Assert.ThrowsAsync<TransferDeliveryException>(() => delivery.DeliverQueuedAsync(text, CancellationToken.None));

        Assert.Equal(2, partner.Received.Count);
        var row = await world.RowAsync(messageId);
        Assert.Equal(("queued", 2, (DateTimeOffset?)null), (row.State, row.Attempts, row.DeliveringUntil));
    }

    private static Task<HttpResponseMessage> HandoverAsync(OutgoingTransferWorld world, string caseId, string messageId, string? date, string? person = CaseApi.Coordinator)
    {
        var body = new JsonObject();
        if (date is not null)
        {
            body["date"] = date;
        }

        return world.Api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/transfers/{Uri.EscapeDataString(messageId)}/handover", person, CaseApi.Json(body));
    }

    private static Task<HttpResponseMessage> WithdrawAsync(OutgoingTransferWorld world, string caseId, string messageId, string reason, string? person = CaseApi.Coordinator)
        => world.Api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/transfers/{messageId}/withdrawal", person, CaseApi.Json(new JsonObject { ["reason"] = reason }));

    private static QueueClient QueueClientOf(OutgoingTransferWorld world)
        => new(TestStorage.ConnectionString, world.Api.Host.Names.Queue(TransferDeliveryQueue.Name), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    private static async Task<List<string>> QueuedAsync(OutgoingTransferWorld world)
        => [.. (await QueueClientOf(world).PeekMessagesAsync(32)).Value.Select(message => message.MessageText)];

    private static async Task<List<StoredEntry>> AllEntriesAsync(OutgoingTransferWorld world, string caseId)
    {
        var store = world.Api.Host.Get<EntryStore>();
        var all = new List<StoredEntry>();
        string? token = null;
        do
        {
            var (page, next) = await store.PageAsync(caseId, null, null, 1000, token, CancellationToken.None);
            all.AddRange(page);
            token = next;
        }
        while (token is not null);

        return all;
    }

    /// <summary>Writes <paramref name="count"/> copies of a comment through the store the package builder reads (fast: no API).</summary>
    private static async Task CloneEntriesAsync(OutgoingTransferWorld world, StoredEntry comment, int count)
    {
        var store = world.Api.Host.Get<EntryStore>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(50))
        {
            var added = await Task.WhenAll(chunk.Select(_ =>
                store.AddAsync(comment with { EntryId = EntryIds.NewComment() }, [], CancellationToken.None)));
            Assert.All(added, Assert.True);
        }
    }

    /// <summary>Writes <paramref name="count"/> copies of a ready, attached file's row (the same stored bytes) into the case.</summary>
    private static async Task CloneFilesAsync(OutgoingTransferWorld world, StoredFile file, int count)
    {
        var table = world.Api.Host.Get<CaseStore>().Table;
        foreach (var chunk in Enumerable.Range(0, count).Chunk(50))
        {
            await Task.WhenAll(chunk.Select(_ => table.AddEntityAsync(FileRows.Row(file with { FileId = FileIds.New() }))));
        }
    }

    private static async Task<TransferPackage> SentPackageAsync(OutgoingTransferWorld world, string messageId)
    {
        var sealedBytes = Assert.IsType<byte[]>(await world.Api.Host.Get<OutgoingTransferStore>().ReadSealedAsync(messageId, CancellationToken.None));
        var message = TransferEnvelope.Open(sealedBytes, Partner, world.Theirs.Encryption, world.Ours.Signing);
        return Assert.IsType<TransferPackage>(TransferPackage.Parse(message.Payload));
    }

    /// <summary>The refused send stored nothing: the one transfer sent before is the only row, blob and queued message.</summary>
    private static async Task AssertOnlyStoredAsync(OutgoingTransferWorld world, string messageId)
    {
        var host = world.Api.Host;
        var rows = new List<string>();
        await foreach (var row in host.Storage.Tables.GetTableClient(host.Names.Table(OutgoingTransferStore.TableName)).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {OutgoingTransferEntity.Partition}")))
        {
            rows.Add(row.RowKey);
        }

        var blobs = new List<string>();
        await foreach (var blob in new BlobContainerClient(TestStorage.ConnectionString, host.Names.Container(OutgoingTransferStore.Container)).GetBlobsAsync())
        {
            blobs.Add(blob.Name);
        }

        Assert.Equal([messageId], rows);
        Assert.Equal([messageId], blobs);
        Assert.Single(await QueuedAsync(world));
    }
}

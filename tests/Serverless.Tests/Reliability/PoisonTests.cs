using Azure.Data.Tables;
using Azure.Storage.Queues;
using Serverless.Audit;
using Serverless.Cases.Activity;
using Serverless.Cases.Disposal;
using Serverless.DeadLetters;
using Serverless.Entries;
using Serverless.Files.Storage;
using Serverless.Files.Validation;
using Serverless.Notifications;
using Serverless.Notifications.Webhooks;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Disposal;
using Serverless.Tests.Entries;
using Serverless.Tests.Files;
using Serverless.Tests.Files.Api;
using Serverless.Tests.Infrastructure;
using Serverless.Tests.Webhooks;

namespace Serverless.Tests.Reliability;

/// <summary>
/// A message whose handling always fails, end to end on the local host's queue runner: tried exactly
/// <c>maxDequeueCount</c> times (host.json's 5, not shortened here), moved to <c>&lt;queue&gt;-poison</c> with nothing of
/// its work half-written, swept into the dead-letter table, and, once the fault is gone, replayed and completed once.
/// The health probe's poison path is covered in <c>QueueTriggerTests</c> and <c>DeadLetterServiceTests</c>; these are the
/// entry event (fan-out, activity, outbox), the file validation (quarantine to files), the disposal run (erasure,
/// register, audit) and a webhook delivery's last attempt.
/// </summary>
public sealed class PoisonTests
{
    private const int HostJsonMaxDequeueCount = 5;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EntryEventThatAlwaysFailsIsPoisonedAfterMaxDequeueCountWithNothingWrittenThenReplayedOnce()
    {
        var api = await CaseApi.StartAsync(backgroundTriggers: true, hostSettings: settings =>
        {
            Assert.Equal(HostJsonMaxDequeueCount, settings.MaxDequeueCount); // as host.json says
            settings.VisibilityTimeout = TimeSpan.Zero;
            settings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });
        await using var host = api.Host;
        var caseId = await api.SharedCaseAsync();
        var inbox = host.Storage.Tables.GetTableClient(host.Names.Table(NotificationInbox.TableName));
        var work = new QueueClient(TestStorage.ConnectionString, host.Names.Queue(EntryEvents.Queue));
        var poison = new QueueClient(TestStorage.ConnectionString, host.Names.PoisonQueue(EntryEvents.Queue));
        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(work) == 0, Timeout, "the case's own events are handled");
        var attemptsBefore = Count(host, "Executing 'Functions.EntryAdded'");
        var succeededBefore = Count(host, "Executed 'Functions.EntryAdded' (Succeeded");

        // The fault: the inbox's table is gone, so the fan-out's first write fails on every attempt.
        await inbox.DeleteAsync();
        var entryId = await api.ReportIdAsync(caseId, EntryApi.Report());

        await TestHost.WaitUntilAsync(
            async () => await ApproximateCountAsync(poison) == 1 && await ApproximateCountAsync(work) == 0,
            Timeout,
            "the entry event is in the poison queue");
        Assert.Equal(HostJsonMaxDequeueCount, Count(host, "Executing 'Functions.EntryAdded'") - attemptsBefore);
        Assert.Equal(0, Count(host, "Executed 'Functions.EntryAdded' (Succeeded") - succeededBefore);

        // Nothing half-written: no activity for the report, the announcement still pending (the catch-up's to finish).
        Assert.False((await host.Get<CaseActivityLog>().GetAsync(caseId, CancellationToken.None)).LastByKind.ContainsKey(CaseActivityKind.Report));
        Assert.Contains(await host.Get<EntryOutbox>().PendingAsync(DateTimeOffset.MaxValue, 100, CancellationToken.None), pending => pending.EntryId == entryId);

        var deadLetters = host.Get<DeadLetterService>();
        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        var letter = Assert.Single(await deadLetters.ListAsync(EntryEvents.Queue, CancellationToken.None));
        Assert.Contains(entryId, letter.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, await ApproximateCountAsync(poison));

        // The fix, then the replay ops would run.
        await inbox.CreateIfNotExistsAsync();
        var succeeded = Count(host, "Executed 'Functions.EntryAdded' (Succeeded");
        Assert.Equal(1, await deadLetters.ReplayAsync(EntryEvents.Queue, null, CancellationToken.None));

        await TestHost.WaitUntilAsync(
            async () => (await host.Get<EntryOutbox>().PendingAsync(DateTimeOffset.MaxValue, 100, CancellationToken.None)).All(pending => pending.EntryId != entryId),
            Timeout,
            "the replayed event is handled");
        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(work) == 0, Timeout, "the replayed message is deleted");
        Assert.Equal(1, Count(host, "Executed 'Functions.EntryAdded' (Succeeded") - succeeded);
        Assert.True((await host.Get<CaseActivityLog>().GetAsync(caseId, CancellationToken.None)).LastByKind.ContainsKey(CaseActivityKind.Report));
        var delivered = await NotificationsAsync(inbox);
        Assert.NotEmpty(delivered);
        Assert.Equal(delivered.Count, delivered.Distinct().Count());
        Assert.Empty(await deadLetters.ListAsync(null, CancellationToken.None));

        // Once: handling the same message again (a duplicate delivery) adds nothing.
        await host.Get<EntryEvents>().HandleAsync(letter.MessageText, CancellationToken.None);
        Assert.Equal(delivered, await NotificationsAsync(inbox));
    }

    [Fact]
    public async Task FileValidationThatAlwaysFailsIsPoisonedAfterMaxDequeueCountWithTheQuarantinedCopyKeptThenReplayedOnce()
    {
        var api = await StartAsync();
        await using var host = api.Host;
        var caseId = await api.SharedCaseAsync();
        var stored = host.Storage.Blobs.GetBlobContainerClient(host.Names.Container(FileBlobs.Files));
        var quarantine = host.Storage.Blobs.GetBlobContainerClient(host.Names.Container(FileBlobs.Quarantine));
        var work = new QueueClient(TestStorage.ConnectionString, host.Names.Queue(FileValidationQueue.Queue));
        var poison = new QueueClient(TestStorage.ConnectionString, host.Names.PoisonQueue(FileValidationQueue.Queue));
        var attemptsBefore = Count(host, "Executing 'Functions.ValidateFile'");

        // The fault: the files container is gone, so storing the validated copy fails (404 ContainerNotFound) on every attempt.
        await stored.DeleteAsync();
        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "letter.pdf", EntryApi.Teacher);

        await TestHost.WaitUntilAsync(
            async () => await ApproximateCountAsync(poison) == 1 && await ApproximateCountAsync(work) == 0,
            Timeout,
            "the validation message is in the poison queue");
        Assert.Equal(HostJsonMaxDequeueCount, Count(host, "Executing 'Functions.ValidateFile'") - attemptsBefore);
        Assert.Equal(0, Count(host, "Executed 'Functions.ValidateFile' (Succeeded"));

        // Nothing half-written: the row still quarantined and unrefused, the agency's bytes still in quarantine.
        var row = await host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None);
        Assert.Equal(FileState.Quarantined, row!.State);
        Assert.Null(row.Rejection);
        Assert.True((await quarantine.GetBlobClient(FileBlobs.Name(caseId, fileId)).ExistsAsync()).Value, "The quarantined copy was deleted.");

        var deadLetters = host.Get<DeadLetterService>();
        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        var letter = Assert.Single(await deadLetters.ListAsync(FileValidationQueue.Queue, CancellationToken.None));
        Assert.Contains(fileId, letter.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, await ApproximateCountAsync(poison));

        // The fix, then the replay ops would run.
        await stored.CreateIfNotExistsAsync();
        Assert.Equal(1, await deadLetters.ReplayAsync(FileValidationQueue.Queue, null, CancellationToken.None));

        await TestHost.WaitUntilAsync(
            async () => (await host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None))!.State == FileState.Ready,
            Timeout,
            "the replayed validation is handled");
        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(work) == 0, Timeout, "the replayed message is deleted");
        Assert.Equal(1, Count(host, "Executed 'Functions.ValidateFile' (Succeeded"));
        Assert.Equal([FileBlobs.Name(caseId, fileId)], await BlobNamesAsync(stored));
        Assert.Empty(await BlobNamesAsync(quarantine));
        Assert.Empty(await deadLetters.ListAsync(null, CancellationToken.None));

        // Once: handling the same message again (a duplicate delivery) changes nothing.
        var validated = await host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None);
        await host.Get<FileValidationQueue>().HandleAsync(letter.MessageText, CancellationToken.None);
        Assert.Equal(validated!.ETag, (await host.Get<CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None))!.ETag);
        Assert.Equal([FileBlobs.Name(caseId, fileId)], await BlobNamesAsync(stored));
    }

    [Fact]
    public async Task DisposalRunThatAlwaysFailsIsPoisonedAfterMaxDequeueCountWithNothingErasedThenReplayedOnce()
    {
        var api = await StartAsync(new Dictionary<string, string> { ["Disposal:ExecutionDelay"] = "00:00:05" });
        await using var host = api.Host;
        var caseId = await api.ClosedCaseAsync();
        var auditLog = host.Storage.Tables.GetTableClient(host.Names.Table(AuditTables.LogTable));
        var work = new QueueClient(TestStorage.ConnectionString, host.Names.Queue(DisposalQueue.Name));
        var poison = new QueueClient(TestStorage.ConnectionString, host.Names.PoisonQueue(DisposalQueue.Name));
        var attemptsBefore = Count(host, "Executing 'Functions.DisposalRun'");
        await api.ApprovedAsync(caseId); // its message hidden for the five-second cooling-off period
        var rowsBefore = await DisposalRunTests.CaseRowsAsync(host, caseId);

        // The fault: the audit log is gone, so the run cannot record its intent and, like every audited action, does not
        // happen, on every attempt.
        await auditLog.DeleteAsync();
        host.Clock!.Advance(TimeSpan.FromSeconds(5)); // the period is over when the message shows

        await TestHost.WaitUntilAsync(
            async () => await ApproximateCountAsync(poison) == 1 && await ApproximateCountAsync(work) == 0,
            Timeout,
            "the disposal message is in the poison queue");
        Assert.Equal(HostJsonMaxDequeueCount, Count(host, "Executing 'Functions.DisposalRun'") - attemptsBefore);
        Assert.Equal(0, Count(host, "Executed 'Functions.DisposalRun' (Succeeded"));

        // Nothing half-written: the case's rows as they were, the disposal still approved, no register line.
        Assert.Equal(rowsBefore, await DisposalRunTests.CaseRowsAsync(host, caseId));
        var disposals = host.Get<Disposals>();
        Assert.Equal(DisposalState.Approved, (await disposals.FindAsync(caseId, CancellationToken.None))!.Value.Disposal.State);
        Assert.Empty(await disposals.RegisterAsync(CancellationToken.None));

        var deadLetters = host.Get<DeadLetterService>();
        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        var letter = Assert.Single(await deadLetters.ListAsync(DisposalQueue.Name, CancellationToken.None));
        Assert.Equal(caseId, DisposalQueue.ReadCaseId(letter.MessageText));
        Assert.Equal(0, await ApproximateCountAsync(poison));

        // The fix, then the replay ops would run.
        await auditLog.CreateIfNotExistsAsync();
        Assert.Equal(1, await deadLetters.ReplayAsync(DisposalQueue.Name, null, CancellationToken.None));

        await TestHost.WaitUntilAsync(
            async () => (await disposals.FindAsync(caseId, CancellationToken.None))!.Value.Disposal.State == DisposalState.Disposed,
            Timeout,
            "the replayed disposal is run");
        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(work) == 0, Timeout, "the replayed message is deleted");
        Assert.Equal(1, Count(host, "Executed 'Functions.DisposalRun' (Succeeded"));
        Assert.Empty(await DisposalRunTests.CaseRowsAsync(host, caseId));
        Assert.All(await host.Get<CaseEraser>().PlanAsync(caseId, CancellationToken.None), count => Assert.True(count.Count == 0, $"{count.Store}: {count.Count} left"));
        Assert.Single(await disposals.RegisterAsync(CancellationToken.None));
        Assert.Equal([AuditEntryKinds.Intent + ":", AuditEntryKinds.Outcome + ":" + nameof(AuditOutcome.Succeeded)], await RunAuditAsync(auditLog, caseId));
        Assert.Empty(await deadLetters.ListAsync(null, CancellationToken.None));

        // Once: handling the same message again (a duplicate delivery) runs nothing again.
        await host.Get<DisposalRunner>().RunQueuedAsync(letter.MessageText, CancellationToken.None);
        Assert.Single(await disposals.RegisterAsync(CancellationToken.None));
        Assert.Equal([AuditEntryKinds.Intent + ":", AuditEntryKinds.Outcome + ":" + nameof(AuditOutcome.Succeeded)], await RunAuditAsync(auditLog, caseId));
    }

    [Fact]
    public async Task WebhookDeliveryWhoseLastAttemptAlwaysFailsIsPoisonedAfterMaxDequeueCountWithNoFurtherAttemptThenReplayedOnce()
    {
        await using var world = await WebhookWorld.StartAsync(backgroundTriggers: true, hostSettings: hostSettings =>
        {
            Assert.Equal(HostJsonMaxDequeueCount, hostSettings.MaxDequeueCount); // as host.json says
            hostSettings.VisibilityTimeout = TimeSpan.Zero;
            hostSettings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });
        var host = world.Host;
        await world.RegisterAsync("relay", "generic");
        var work = new QueueClient(TestStorage.ConnectionString, host.Names.Queue(WebhookDispatcher.Queue));
        var poison = new QueueClient(TestStorage.ConnectionString, host.Names.PoisonQueue(WebhookDispatcher.Queue));

        // The fault: the receiver answers 503 to the delivery's last attempt, every time it is tried.
        world.Receiver.Answer = _ => (503, null);
        var text = WebhookWorld.Message("evt-poison", "relay", WebhookBackoff.MaxAttempts);
        await new QueueClient(TestStorage.ConnectionString, host.Names.Queue(WebhookDispatcher.Queue), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).SendMessageAsync(text);

        await TestHost.WaitUntilAsync(
            async () => await ApproximateCountAsync(poison) == 1 && await ApproximateCountAsync(work) == 0,
            Timeout,
            "the delivery is in the poison queue");
        Assert.Equal(HostJsonMaxDequeueCount, Count(host, "Executing 'Functions.WebhookDelivery'"));
        Assert.Equal(0, Count(host, "Executed 'Functions.WebhookDelivery' (Succeeded"));

        // Nothing beyond the attempts themselves: one send per try, each recorded as failed, no further attempt queued.
        Assert.Equal(HostJsonMaxDequeueCount, world.Receiver.Requests.Count);
        var store = host.Get<WebhookStore>();
        Assert.All(WebhookStore.Attempts((await store.FindAsync(WebhookWorld.Agency, "relay", CancellationToken.None))!), attempt => Assert.Equal((WebhookOutcome.HttpError, (int?)503, (DateTimeOffset?)null), (attempt.Outcome, attempt.Status, attempt.NextAttemptAt)));

        var deadLetters = host.Get<DeadLetterService>();
        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        var letter = Assert.Single(await deadLetters.ListAsync(WebhookDispatcher.Queue, CancellationToken.None));
        Assert.Equal(text, letter.MessageText);
        Assert.Equal(0, await ApproximateCountAsync(poison));

        // The fix, then the replay ops would run.
        world.Receiver.Answer = _ => (200, null);
        Assert.Equal(1, await deadLetters.ReplayAsync(WebhookDispatcher.Queue, null, CancellationToken.None));

        await TestHost.WaitUntilAsync(
            async () => Count(host, "Executed 'Functions.WebhookDelivery' (Succeeded") == 1 && await ApproximateCountAsync(work) == 0,
            Timeout,
            "the replayed delivery is handled and its message deleted");
        Assert.Equal(HostJsonMaxDequeueCount + 1, world.Receiver.Requests.Count); // delivered once
        Assert.Single(world.Receiver.Requests.Select(request => request.Headers[WebhookSigning.IdHeader].ToString()).Distinct()); // every try one message to the receiver
        Assert.Equal(WebhookOutcome.Delivered, WebhookStore.Attempts((await store.FindAsync(WebhookWorld.Agency, "relay", CancellationToken.None))!)[0].Outcome);
        Assert.Empty(await deadLetters.ListAsync(null, CancellationToken.None));
    }

    /// <summary>The local host with its queue runner, host.json's <c>maxDequeueCount</c> unshortened, and no wait between attempts.</summary>
    private static Task<CaseApi> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
        => CaseApi.StartAsync(backgroundTriggers: true, settings: settings, hostSettings: hostSettings =>
        {
            Assert.Equal(HostJsonMaxDequeueCount, hostSettings.MaxDequeueCount); // as host.json says
            hostSettings.VisibilityTimeout = TimeSpan.Zero;
            hostSettings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });

    /// <summary>The disposal run's audit rows for the case, kind and outcome, sorted (rows written at one fake instant
    /// are in random key order).</summary>
    private static async Task<List<string>> RunAuditAsync(TableClient auditLog, string caseId)
    {
        var rows = new List<string>();
        await foreach (var row in auditLog.QueryAsync<AuditEntryEntity>(TableClient.CreateQueryFilter($"Action eq {AuditActions.OpsDisposalRun}")))
        {
            if (row.CaseId == caseId)
            {
                rows.Add(row.Kind + ":" + row.Outcome);
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static async Task<List<string>> BlobNamesAsync(Azure.Storage.Blobs.BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>
    /// The transfer delivery's queue (<c>transfer-deliveries</c>): a partner that never answers 202 gets exactly
    /// <c>maxDequeueCount</c> posts; the last attempt marks the transfer failed and alerts the coordinators urgently, and
    /// the message, with its message id only, ends in the dead-letter table.
    /// </summary>
    [Fact]
    public async Task TransferDeliveryThatAlwaysFailsIsPoisonedAfterMaxDequeueCountMarkedFailedAndAlerted()
    {
        await using var world = await Serverless.Tests.Transfers.OutgoingTransferWorld.StartAsync(backgroundTriggers: true, hostSettings: settings =>
        {
            Assert.Equal(HostJsonMaxDequeueCount, settings.MaxDequeueCount);
            settings.VisibilityTimeout = TimeSpan.Zero;
            settings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });
        var host = world.Api.Host;
        // A closed port on this machine: every post fails to connect.
        await world.RegisterPartnerAsync(endpoint: "http://127.0.0.1:9/api/transfers/incoming");
        var caseId = await world.Api.SharedCaseAsync();
        var poison = new QueueClient(TestStorage.ConnectionString, host.Names.PoisonQueue(Serverless.Transfers.Outgoing.TransferDeliveryQueue.Name));

        var messageId = await world.SentAsync(caseId);

        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(poison) == 1, Timeout, "the delivery is in the poison queue");
        Assert.Equal(HostJsonMaxDequeueCount, Count(host, "Executing 'Functions.TransferDelivery'"));
        var row = await world.RowAsync(messageId);
        Assert.Equal(("failed", HostJsonMaxDequeueCount), (row.State, row.Attempts));
        var inbox = host.Storage.Tables.GetTableClient(host.Names.Table(NotificationInbox.TableName));
        var alerts = new List<TableEntity>();
        await foreach (var alert in inbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Kind eq {NotificationKinds.TransferDeliveryFailed}")))
        {
            alerts.Add(alert);
        }

        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert => Assert.Equal((caseId, true), (alert.GetString("CaseId"), alert.GetBoolean("Urgent"))));
        var deadLetters = host.Get<DeadLetterService>();
        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        var letter = Assert.Single(await deadLetters.ListAsync(Serverless.Transfers.Outgoing.TransferDeliveryQueue.Name, CancellationToken.None));
        Assert.Equal($$"""{"schemaVersion":1,"messageId":"{{messageId}}"}""", letter.MessageText);
    }

    /// <summary>
    /// The answers' queue (<c>transfer-answers</c>): an acknowledgement whose partner never answers 202 gets exactly
    /// <c>maxDequeueCount</c> posts; the last attempt marks the answer failed and alerts this council's coordinators
    /// urgently, and the message, with ids only (no name), ends in the dead-letter table.
    /// </summary>
    [Fact]
    public async Task TransferAnswerThatAlwaysFailsIsPoisonedAfterMaxDequeueCountMarkedFailedAndAlerted()
    {
        await using var world = await Serverless.Tests.Transfers.OutgoingTransferWorld.StartAsync();
        var api = await Serverless.Tests.Transfers.TransferAnswerTests.ReceiverAsync(world, "http://127.0.0.1:9/api/transfers/incoming", backgroundTriggers: true, hostSettings: settings =>
        {
            Assert.Equal(HostJsonMaxDequeueCount, settings.MaxDequeueCount);
            settings.VisibilityTimeout = TimeSpan.Zero;
            settings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });
        await using var host = api.Host;
        var queueName = Serverless.Transfers.Answers.TransferAnswerQueue.Name;
        var poison = new QueueClient(TestStorage.ConnectionString, host.Names.PoisonQueue(queueName));
        var packageId = Serverless.Transfers.Envelope.TransferIds.NewMessageId();

        await host.Get<Serverless.Transfers.Answers.ITransferAnswerOutbox>().SendAsync(
            new Serverless.Transfers.Answers.TransferAnswer(Serverless.Tests.Transfers.OutgoingTransferWorld.Own, packageId, Serverless.Transfers.Answers.TransferAnswerKinds.Acknowledgement, CaseApi.Now, "千代田 花子", null),
            CancellationToken.None);

        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(poison) == 1, Timeout, "the answer is in the poison queue");
        Assert.Equal(HostJsonMaxDequeueCount, Count(host, "Executing 'Functions.TransferAnswerDelivery'"));
        var row = await host.Get<Serverless.Transfers.Answers.TransferAnswerStore>().GetAsync(Serverless.Tests.Transfers.OutgoingTransferWorld.Own, packageId + "_acknowledgement", CancellationToken.None);
        Assert.Equal(("failed", HostJsonMaxDequeueCount), (row!.State, row.Attempts));
        var inbox = host.Storage.Tables.GetTableClient(host.Names.Table(NotificationInbox.TableName));
        var alerts = new List<TableEntity>();
        await foreach (var alert in inbox.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Kind eq {NotificationKinds.TransferAnswerFailed}")))
        {
            alerts.Add(alert);
        }

        Assert.NotEmpty(alerts);
        Assert.All(alerts, alert => Assert.True(alert.GetBoolean("Urgent")));
        var deadLetters = host.Get<DeadLetterService>();
        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        var letter = Assert.Single(await deadLetters.ListAsync(queueName, CancellationToken.None));
        Assert.Equal($$"""{"schemaVersion":1,"senderCode":"{{Serverless.Tests.Transfers.OutgoingTransferWorld.Own}}","answerKey":"{{packageId}}_acknowledgement"}""", letter.MessageText);
    }

    /// <summary>
    /// The carried files' queue (<c>transfer-file-deliveries</c>): a file whose post never gets 202 is attempted exactly
    /// <c>maxDequeueCount</c> times, its row ends <c>failed</c>, and the message, ids only, ends in the dead-letter table.
    /// </summary>
    [Fact]
    public async Task TransferFileDeliveryThatAlwaysFailsIsPoisonedAfterMaxDequeueCountAndMarkedFailed()
    {
        await using var world = await Serverless.Tests.Transfers.OutgoingTransferWorld.StartAsync(backgroundTriggers: true, hostSettings: settings =>
        {
            Assert.Equal(HostJsonMaxDequeueCount, settings.MaxDequeueCount);
            settings.VisibilityTimeout = TimeSpan.Zero;
            settings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });
        var host = world.Api.Host;
        await world.RegisterPartnerAsync(endpoint: "http://127.0.0.1:9/api/transfers/incoming"); // a closed port
        var (caseId, fileId, messageId) = (Serverless.Cases.CaseIds.New(), FileIds.New(), Serverless.Transfers.Envelope.TransferIds.NewMessageId());
        var content = "写真"u8.ToArray();
        await host.Storage.Blobs.GetBlobContainerClient(host.Names.Container(FileBlobs.Files)).GetBlobClient(FileBlobs.Name(caseId, fileId)).UploadAsync(BinaryData.FromBytes(content));
        await host.Get<Serverless.Transfers.Outgoing.OutgoingTransferStore>().InsertAsync(
            new Serverless.Transfers.Outgoing.OutgoingTransferEntity
            {
                RowKey = messageId, CaseId = caseId, SenderCode = Serverless.Tests.Transfers.OutgoingTransferWorld.Own, ReceiverCode = Serverless.Tests.Transfers.OutgoingTransferWorld.Partner,
                RiskLevel = "medium", State = Serverless.Transfers.Outgoing.OutgoingTransferStates.Delivered, CreatedAt = CaseApi.Now, CreatedBy = "p-coordinator", AcknowledgementDeadline = CaseApi.Now.AddDays(3), SealedSha256 = new string('0', 64),
            },
            CancellationToken.None);
        var files = host.Get<Serverless.Transfers.CarriedFiles.OutgoingTransferFileStore>();
        await files.AddAsync(
            new Serverless.Transfers.CarriedFiles.OutgoingTransferFileEntity
            {
                PartitionKey = messageId, RowKey = fileId, CaseId = caseId, ReceiverCode = Serverless.Tests.Transfers.OutgoingTransferWorld.Partner,
                Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), Length = content.Length, State = Serverless.Transfers.CarriedFiles.OutgoingTransferFileStates.Queued,
            },
            CancellationToken.None);
        var poison = new QueueClient(TestStorage.ConnectionString, host.Names.PoisonQueue(Serverless.Transfers.CarriedFiles.TransferFileQueue.Name));

        await host.Get<Serverless.Transfers.CarriedFiles.TransferFileQueue>().SendAsync(messageId, fileId, CancellationToken.None);

        await TestHost.WaitUntilAsync(async () => await ApproximateCountAsync(poison) == 1, Timeout, "the file delivery is in the poison queue");
        Assert.Equal(HostJsonMaxDequeueCount, Count(host, "Executing 'Functions.TransferFileDelivery'"));
        var row = (await files.GetAsync(messageId, fileId, CancellationToken.None))!;
        Assert.Equal((Serverless.Transfers.CarriedFiles.OutgoingTransferFileStates.Failed, HostJsonMaxDequeueCount), (row.State, row.Attempts));
        var deadLetters = host.Get<DeadLetterService>();
        Assert.Equal(1, await deadLetters.SweepAsync(CancellationToken.None));
        var letter = Assert.Single(await deadLetters.ListAsync(Serverless.Transfers.CarriedFiles.TransferFileQueue.Name, CancellationToken.None));
        Assert.Equal($$"""{"schemaVersion":1,"messageId":"{{messageId}}","fileId":"{{fileId}}"}""", letter.MessageText);
    }

    private static async Task<List<string>> NotificationsAsync(TableClient inbox)
    {
        var keys = new List<string>();
        await foreach (var row in inbox.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            if (row.RowKey != NotificationInbox.ReadMarkRow)
            {
                keys.Add(row.PartitionKey + "/" + row.RowKey);
            }
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    private static async Task<int> ApproximateCountAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    private static int Count(TestHost host, string start)
        => host.Logs.Entries.Count(entry => entry.Text.StartsWith(start, StringComparison.Ordinal));
}

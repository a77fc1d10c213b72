using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Serverless.Audit;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Infrastructure;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Packages;
using static Serverless.Tests.Transfers.OutgoingTransferWorld;

namespace Serverless.Tests.Transfers;

/// <summary>
/// Sending a case (移管): the case gate first, then the request and the partner; the package sealed for the partner,
/// persisted (blob, row, the case's pointer) before its message id alone is queued; the disclosure in the case's audit.
/// </summary>
public sealed class OutgoingTransferTests
{
    [Fact]
    public async Task ACoordinatorsTransferIsSealedForThePartnerStoredAndQueuedByIdOnly()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var api = world.Api;
        var caseId = await api.SharedCaseAsync(record => record["locationSecrecy"] = true);
        var fileId = await world.ReadyFileAsync(caseId);
        var report = EntryApi.Report("左腕に青あざ。本人は「転んだ」と話している。");
        report["files"] = new JsonArray(fileId);
        var reportId = await api.ReportIdAsync(caseId, report);
        var commentId = await api.CommentIdAsync(caseId, new JsonObject { ["text"] = "移管先へ引き継ぎます" });

        using var response = await world.SendAsync(caseId, Body(risk: "high"));

        var receipt = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, receipt.ToJsonString());
        var messageId = (string)receipt["messageId"]!;
        Assert.True(TransferIds.IsMessageId(messageId));
        Assert.Equal((messageId, "queued"), ((string)receipt["transferId"]!, (string)receipt["state"]!));
        Assert.Equal(CaseApi.Now.AddHours(24), receipt["acknowledgementDeadline"]!.GetValue<DateTimeOffset>());

        // The sealed bytes, under the message id, open with the partner's key and verify with ours.
        var blob = new BlobContainerClient(TestStorage.ConnectionString, api.Host.Names.Container(OutgoingTransferStore.Container)).GetBlobClient(messageId);
        var sealedBytes = (await blob.DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(new TransferRouting(TransferMessageKind.Package, messageId, Own, Partner), TransferEnvelope.ReadRouting(sealedBytes));
        var message = TransferEnvelope.Open(sealedBytes, Partner, world.Theirs.Encryption, world.Ours.Signing);
        var package = Assert.IsType<TransferPackage>(TransferPackage.Parse(message.Payload));
        Assert.Equal(caseId, package.SourceCaseId);
        Assert.True(package.LocationSecrecy && package.ReferrerSecrecy);
        Assert.StartsWith("試験", package.Case.Child!.Name.Family);
        Assert.Contains(reportId, package.EntryIds());
        Assert.Contains(commentId, package.EntryIds());
        var reported = package.Timeline.Single(entry => entry.EntryId == reportId);
        var coordinatorAgency = await api.Host.Get<Serverless.Agencies.AgencyDirectory>().FindAsync(Serverless.DevHost.DemoPeople.Person(CaseApi.Coordinator).AgencyId, CancellationToken.None);
        Assert.Equal(("report", coordinatorAgency!.Name), (reported.Kind, reported.AuthorAgencyName));
        Assert.Equal("左腕に青あざ。本人は「転んだ」と話している。", reported.Content.GetProperty("report").GetProperty("narrative").GetString());
        Assert.False(reported.Content.TryGetProperty("author", out _)); // person ids do not travel
        var file = Assert.Single(reported.Files);
        var stored = await api.Host.Get<Serverless.Files.Storage.CaseFiles>().GetAsync(caseId, fileId, CancellationToken.None);
        Assert.Equal((fileId, "連絡票.pdf", "application/pdf", stored!.Validated!.Stored.Sha256), (file.FileId, file.FileName, file.ContentType, file.Sha256));
        Assert.Equal(64, file.Sha256.Length);
        var handover = Assert.IsType<TransferHandover>(package.Handover);
        Assert.Equal(("family-move", "東京都千代田区（番地は不明）", Serverless.Cases.RiskLevel.High, new DateOnly(2025, 6, 20)), (handover.ReasonKind, handover.NewArea, handover.RiskLevel, handover.FaceToFaceDate));
        Assert.StartsWith("母と本人で千代田区へ転居", handover.Summary);

        // The row: ids, codes, risk, state and times; nothing of the child, the summary or the new area.
        var row = await world.RowAsync(messageId);
        Assert.Equal((caseId, Own, Partner, "high", "queued", true, "2025-06-20"), (row.CaseId, row.SenderCode, row.ReceiverCode, row.RiskLevel, row.State, row.FaceToFaceArranged, row.FaceToFaceDate));
        var rawRow = await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(OutgoingTransferStore.TableName)).GetEntityAsync<TableEntity>(OutgoingTransferEntity.Partition, messageId);
        var rowText = string.Join("|", rawRow.Value.Select(property => property.Value?.ToString()));
        Assert.DoesNotContain("千代田区へ転居", rowText, StringComparison.Ordinal);
        Assert.DoesNotContain("番地", rowText, StringComparison.Ordinal);
        Assert.DoesNotContain("試験", rowText, StringComparison.Ordinal);

        // The queue: one message, the message id and its schema version only.
        var queue = new QueueClient(TestStorage.ConnectionString, api.Host.Names.Queue(TransferDeliveryQueue.Name), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var queued = Assert.Single((await queue.PeekMessagesAsync(10)).Value);
        Assert.Equal($$"""{"schemaVersion":1,"messageId":"{{messageId}}"}""", queued.MessageText);

        // The disclosure, on the case: the entries carried; with the receiver, the message and the file hashes.
        var byCase = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, null, null, CancellationToken.None)).Page.Entries;
        var disclosed = Assert.Single(byCase, entry => entry.Action == AuditActions.TransferPackageSend && entry.Kind == AuditEntryKinds.Outcome);
        Assert.Equal("Succeeded", disclosed.Outcome);
        Assert.Equal(package.EntryIds().Order(StringComparer.Ordinal), disclosed.EntriesTouched!.Order(StringComparer.Ordinal));
        var logged = Assert.Single(await world.CoordinatorAuditAsync(), entry => entry.Action == AuditActions.TransferPackageSend);
        Assert.Equal((Partner, messageId), (logged.Target!.MunicipalityCode, logged.Target.MessageId));
        Assert.Equal([file.Sha256], logged.Target.FileHashes);
    }

    [Fact]
    public async Task TheCaseGateAnswersFirstAMemberIsForbiddenAndAHiddenOrMissingCaseIsNotFound()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var caseId = await world.Api.SharedCaseAsync();

        using var member = await world.SendAsync(caseId, Body(), EntryApi.Teacher);
        using var unnamed = await world.SendAsync(caseId, Body(), EntryApi.UnnamedTeacher);
        using var missing = await world.SendAsync(Serverless.Cases.CaseIds.New(), Body());
        using var hiddenWithBadBody = await world.SendAsync(caseId, new JsonObject { ["summary"] = 1 }, EntryApi.UnnamedTeacher);

        await CaseApi.ProblemAsync(member, ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(unnamed, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(missing, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(hiddenWithBadBody, ProblemCatalogue.NotFound);
        await AssertNothingStoredAsync(world);
    }

    [Fact]
    public async Task AnUnconfirmedOrUnknownPartnerIsRefusedWithNothingStored()
    {
        await using var world = await StartAsync();
        var caseId = await world.Api.SharedCaseAsync();

        using var unknown = await world.SendAsync(caseId, Body());
        await world.RegisterPartnerAsync(confirmed: false);
        using var unconfirmed = await world.SendAsync(caseId, Body());

        await CaseApi.ProblemAsync(unknown, ProblemCatalogue.TransfersPartnerNotConfirmed);
        await CaseApi.ProblemAsync(unconfirmed, ProblemCatalogue.TransfersPartnerNotConfirmed);
        await AssertNothingStoredAsync(world);
    }

    [Fact]
    public async Task ACouncilWithoutItsCodeAndSigningKeySendsNothing()
    {
        await using var world = await StartAsync(configured: false);
        await world.RegisterPartnerAsync();
        var caseId = await world.Api.SharedCaseAsync();

        using var response = await world.SendAsync(caseId, Body());

        await CaseApi.ProblemAsync(response, ProblemCatalogue.TransfersNotConfigured);
        await AssertNothingStoredAsync(world);
    }

    [Fact]
    public async Task ACaseHasOneActiveTransferAndAClosedCaseNone()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var caseId = await world.Api.SharedCaseAsync();
        var first = await world.SentAsync(caseId);
        var closedId = await world.Api.SharedCaseAsync(record =>
        {
            record["status"] = "accepted";
        });
        using (var close = await world.Api.PatchAsync(closedId, "\"v1\"", "終結", new JsonObject { ["status"] = "closed", ["closure"] = Closure("improved") }))
        {
            Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        }

        using var second = await world.SendAsync(caseId, Body());
        using var closed = await world.SendAsync(closedId, Body());

        await CaseApi.ProblemAsync(second, ProblemCatalogue.TransfersAlreadyTransferring);
        await CaseApi.ProblemAsync(closed, ProblemCatalogue.TransfersCaseClosed);
        Assert.Equal(first, (await world.Api.Host.Get<OutgoingTransferStore>().CurrentForCaseAsync(caseId, CancellationToken.None))!.RowKey);

        // A failed transfer (delivery dead-lettered) frees the case: a coordinator may send again.
        var row = await world.RowAsync(first);
        row.State = OutgoingTransferStates.Failed;
        Assert.True(await world.Api.Host.Get<OutgoingTransferStore>().UpdateAsync(row, CancellationToken.None));
        var again = await world.SentAsync(caseId);
        Assert.NotEqual(first, again);
    }

    [Fact]
    public async Task TheRequestIsCheckedFieldByFieldWithItsLimits()
    {
        await using var world = await StartAsync();
        await world.RegisterPartnerAsync();
        var caseId = await world.Api.SharedCaseAsync();
        var bad = Body(risk: "high", faceToFaceDate: null, summary: new string('あ', OutgoingTransferLimits.MaxSummaryLength + 1));
        bad["receiverMunicipalityCode"] = "131017"; // wrong check digit
        bad["reason"] = new JsonObject { ["kind"] = "other", ["newArea"] = new string('区', OutgoingTransferLimits.MaxNewAreaLength + 1) };

        using var invalid = await world.SendAsync(caseId, bad);
        using var empty = await world.SendAsync(caseId, new JsonObject());
        using var critical = await world.SendAsync(caseId, Body(risk: "critical", faceToFaceDate: null));

        await CaseApi.ValidationErrorsAsync(
            invalid,
            ("$.receiverMunicipalityCode", "invalid-id"),
            ("$.reason.kind", "invalid-value"),
            ("$.reason.newArea", "too-long"),
            ("$.summary", "too-long"),
            ("$.faceToFace.date", "required"));
        await CaseApi.ValidationErrorsAsync(
            empty,
            ("$.receiverMunicipalityCode", "required"),
            ("$.reason", "required"),
            ("$.riskLevel", "required"),
            ("$.summary", "required"),
            ("$.faceToFace", "required"));
        await CaseApi.ValidationErrorsAsync(critical, ("$.faceToFace.date", "required"));
        await AssertNothingStoredAsync(world);

        // At the limits, and a low risk without a face-to-face date: accepted.
        var atLimits = Body(risk: "low", faceToFaceDate: null, summary: new string('あ', OutgoingTransferLimits.MaxSummaryLength));
        atLimits["reason"]!["newArea"] = new string('区', OutgoingTransferLimits.MaxNewAreaLength);
        await world.SentAsync(caseId, atLimits);
    }

    internal static JsonObject Closure(string outcome) => new()
    {
        ["outcome"] = outcome,
        ["reason"] = "転居により移管",
        ["decidedOn"] = CaseApi.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["meeting"] = "第3回実務者会議",
        ["transferredTo"] = outcome == "transferred-to-another-municipality" ? "千代田区" : null,
    };

    private static async Task AssertNothingStoredAsync(OutgoingTransferWorld world)
    {
        var host = world.Api.Host;
        var rows = new List<TableEntity>();
        await foreach (var row in host.Storage.Tables.GetTableClient(host.Names.Table(OutgoingTransferStore.TableName)).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        Assert.Empty(rows);
        var blobs = new List<string>();
        await foreach (var blob in new BlobContainerClient(TestStorage.ConnectionString, host.Names.Container(OutgoingTransferStore.Container)).GetBlobsAsync())
        {
            blobs.Add(blob.Name);
        }

        Assert.Empty(blobs);
        var queue = new QueueClient(TestStorage.ConnectionString, host.Names.Queue(TransferDeliveryQueue.Name));
        Assert.Empty((await queue.PeekMessagesAsync(10)).Value);
    }
}

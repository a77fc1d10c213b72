using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.DevHost;
using Serverless.Entries;
using Serverless.Files.Storage;
using Serverless.Identity;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Files;
using Serverless.Tests.Infrastructure;
using Serverless.Transfers.CarriedFiles;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Outgoing;

namespace Serverless.Tests.Transfers;

/// <summary>
/// Issue #17 end to end: two councils, each its own host with its own storage prefix (its own tables, containers and
/// queues in the one Azurite), its own transfer keys, its queue listeners running, and the other registered and confirmed
/// through the admin routes with the other host's real intake URL on loopback. Nothing is delivered by hand: the sender's
/// delivery queue posts the package and its file to the receiver, the receiver's answer queue posts the acknowledgement back.
/// </summary>
public sealed class TwoCouncilTransferTests
{
    private const string Takamatsu = "372013"; // council A, the sender
    private const string Chiyoda = "131016"; // council B, the receiver
    private const string Admin = "admin-kobayashi";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    /// <summary>A council: its own host (background triggers on, short polling) and keys; it both sends and receives.</summary>
    private sealed class Council(string code, CaseApi api, TestTransferKeys keys) : IAsyncDisposable
    {
        public string Code { get; } = code;

        public CaseApi Api { get; } = api;

        public TestTransferKeys Keys { get; } = keys;

        public string Intake => new Uri(Api.Host.Client.BaseAddress!, "api/transfers/incoming").ToString();

        public static async Task<Council> StartAsync(string code)
        {
            var keys = new TestTransferKeys();
            var api = await CaseApi.StartAsync(
                backgroundTriggers: true,
                settings: new Dictionary<string, string>
                {
                    ["Transfers:MunicipalityCode"] = code,
                    ["Transfers:SigningKeyPem"] = keys.SigningPrivatePem,
                    ["Transfers:DecryptionKeyPem"] = keys.EncryptionPrivatePem,
                },
                hostSettings: settings => settings.MaxPollingInterval = TimeSpan.FromMilliseconds(200));
            return new Council(code, api, keys);
        }

        /// <summary>As the two councils do it: the admin registers the other (PUT), a coordinator confirms the fingerprints read out.</summary>
        public async Task PartnerWithAsync(Council other, string displayName)
        {
            using var saved = await Api.SendAsync(HttpMethod.Put, $"api/admin/transfer-partners/{other.Code}", Admin, CaseApi.Json(new JsonObject
            {
                ["displayName"] = displayName,
                ["endpointUrl"] = other.Intake,
                ["encryptionKeyPem"] = other.Keys.EncryptionPublicPem,
                ["verificationKeyPem"] = other.Keys.SigningPublicPem,
            }));
            Assert.True(saved.StatusCode == HttpStatusCode.Created, await saved.Content.ReadAsStringAsync());
            using var confirmed = await Api.SendAsync(HttpMethod.Post, $"api/admin/transfer-partners/{other.Code}/confirmation", CaseApi.Coordinator, CaseApi.Json(new JsonObject
            {
                ["encryptionKeyFingerprint"] = TestTransferKeys.ReadOut(other.Keys.EncryptionFingerprint),
                ["verificationKeyFingerprint"] = TestTransferKeys.ReadOut(other.Keys.SigningFingerprint),
                ["version"] = 1,
            }));
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        }

        public async ValueTask DisposeAsync()
        {
            await Api.DisposeAsync();
            Keys.Dispose();
        }
    }

    private static async Task<(Council A, Council B)> PairAsync()
    {
        var a = await Council.StartAsync(Takamatsu);
        var b = await Council.StartAsync(Chiyoda);
        await a.PartnerWithAsync(b, "千代田区 子ども家庭支援センター");
        await b.PartnerWithAsync(a, "高松市 こども家庭課");
        return (a, b);
    }

    private static JsonObject Location() => new() { ["address"] = "高松市番町１丁目２−３ 𠮷田荘202", ["schoolDistrict"] = "番町小学校区" };

    private static string Sha(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static async Task<IReadOnlyList<AuditRecord>> CaseAuditAsync(CaseApi api, string caseId)
        => Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, null, null, CancellationToken.None)).Page.Entries;

    private static Task WaitAsync(Func<Task<bool>> condition, string what) => TestHost.WaitUntilAsync(condition, Patience, what);

    [Fact]
    public async Task AHighRiskCaseWithAFileTravelsFromOneCouncilToTheOtherIsAcknowledgedBackAndClosedAs移管()
    {
        var (a, b) = await PairAsync();
        await using var disposeA = a;
        await using var disposeB = b;

        // 1. At A: a high-risk case under location secrecy, a report carrying an uploaded file; a coordinator sends it to B.
        var caseId = await a.Api.SharedCaseAsync(record =>
        {
            record["riskLevel"] = "high";
            record["location"] = Location();
            record["locationSecrecy"] = true;
        });
        var fileId = await UploadedFileAsync(a.Api, caseId);
        var report = EntryApi.Report("右頬に痣。母は「ぶつけた」と説明。");
        report["files"] = new JsonArray(fileId);
        var reportId = await a.Api.ReportIdAsync(caseId, report);
        using var sent = await a.Api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/transfers", CaseApi.Coordinator, CaseApi.Json(OutgoingTransferWorld.Body(risk: "high")));
        var sentBody = await CaseApi.BodyAsync(sent);
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, sentBody.ToJsonString());
        var messageId = (string)sentBody["messageId"]!;
        var outgoing = a.Api.Host.Get<OutgoingTransferStore>();

        // 2. B's intake gets the package (A's delivery queue, 202) and then the file (A's file queue).
        await WaitAsync(async () => (await outgoing.GetAsync(messageId, CancellationToken.None))!.State == OutgoingTransferStates.Delivered, "A's transfer is delivered");
        var incomingFiles = b.Api.Host.Get<IncomingTransferFileStore>();
        await WaitAsync(async () => (await incomingFiles.GetAsync(Takamatsu, messageId, fileId, CancellationToken.None)) is not null, "B has the carried file");
        var incoming = (await b.Api.Host.Get<IncomingTransferStore>().GetAsync(Takamatsu, messageId, CancellationToken.None))!;
        Assert.Equal(IncomingTransferStates.Received, incoming.State);
        Assert.Equal((await outgoing.GetAsync(messageId, CancellationToken.None))!.SealedSha256, incoming.Sha256); // the bytes A sealed are the bytes B keeps

        using var list = await b.Api.SendAsync(HttpMethod.Get, "api/transfers?direction=incoming", CaseApi.Coordinator);
        var listed = Assert.Single((await CaseApi.BodyAsync(list))["transfers"]!.AsArray())!;
        Assert.Equal((messageId, Takamatsu, "高松市 こども家庭課", "received"), ((string)listed["messageId"]!, (string)listed["senderMunicipalityCode"]!, (string)listed["senderName"]!, (string)listed["state"]!));
        using var read = await b.Api.SendAsync(HttpMethod.Get, $"api/transfers/incoming/{Takamatsu}/{messageId}", CaseApi.Coordinator);
        var package = await CaseApi.BodyAsync(read);
        Assert.True(read.StatusCode == HttpStatusCode.OK, package.ToJsonString());
        Assert.True((bool)package["locationSecrecy"]!);
        Assert.Contains(package["timeline"]!.AsArray(), entry => (string)entry!["entryId"]! == reportId);

        using var accepted = await b.Api.SendAsync(HttpMethod.Post, $"api/transfers/incoming/{Takamatsu}/{messageId}/acceptance", CaseApi.Coordinator, CaseApi.Json(new JsonObject()));
        var acceptedBody = await CaseApi.BodyAsync(accepted);
        Assert.True(accepted.StatusCode == HttpStatusCode.Created, acceptedBody.ToJsonString());
        var newCaseId = (string)acceptedBody["caseId"]!;

        // One new case at B, location secrecy kept: the location travelled, a member of the lead agency does not see it.
        var stored = (await b.Api.Host.Get<CaseStore>().GetAsync(newCaseId, CancellationToken.None))!;
        var original = (await a.Api.Host.Get<CaseStore>().GetAsync(caseId, CancellationToken.None))!;
        Assert.True(stored.Record.LocationSecrecy);
        Assert.Equal(original.Record.Location, stored.Record.Location);
        Assert.Equal(original.Record.Child!.Name.Given, stored.Record.Child!.Name.Given);
        var member = new Caller("member-of-lead", stored.Record.LeadAgencyId, CallerRole.Member);
        Assert.False(CaseAccess.CanSeeLocation(member, stored.Record));
        Assert.True(CaseAccess.CanSeeLocation(new Caller("another-coordinator", "somewhere", CallerRole.Coordinator), stored.Record));

        // Entries of kind transferred with their origin, for coordinators and not for an ordinary member.
        var entries = (await b.Api.Host.Get<EntryStore>().PageAsync(newCaseId, [EntryType.Transferred], null, 100, null, CancellationToken.None)).Entries;
        var transferredReport = Assert.Single(entries, entry => entry.Transferred!.Origin.EntryId == reportId);
        Assert.All(entries, entry => Assert.Equal((Takamatsu, messageId), (entry.Transferred!.Origin.SenderMunicipalityCode, entry.Transferred.Origin.MessageId)));
        Assert.All(entries, entry => Assert.Null(entry.Transferred!.Origin.AgencyName)); // referrer secrecy
        var open = new OpenCase(stored, BreakGlass: false);
        Assert.All(entries, entry => Assert.False(EntryVisibility.Sees(member, open, entry)));
        Assert.All(entries, entry => Assert.True(EntryVisibility.Sees(new Caller("another-coordinator", "somewhere", CallerRole.Coordinator), open, entry)));
        using var timeline = await b.Api.SendAsync(HttpMethod.Get, $"api/cases/{newCaseId}/timeline?pageSize=50", CaseApi.Coordinator);
        var shown = (await CaseApi.BodyAsync(timeline))["entries"]!.AsArray();
        Assert.Contains(shown, entry => (string?)entry!["transferred"]?["origin"]?["entryId"] == reportId);

        // The file imported into the new case, on the transferred report, validated by B's own queue: the same bytes.
        var pdf = TestPdfs.Letter();
        var caseFiles = b.Api.Host.Get<CaseFiles>();
        await WaitAsync(async () => (await caseFiles.ListAsync(newCaseId, CancellationToken.None)) is [{ State: FileState.Ready }], "B's imported file is ready");
        var imported = Assert.Single(await caseFiles.ListAsync(newCaseId, CancellationToken.None));
        Assert.Equal(transferredReport.EntryId, imported.EntryId);
        Assert.Equal([imported.FileId], (await b.Api.Host.Get<EntryStore>().VersionsAsync(newCaseId, transferredReport.EntryId, CancellationToken.None))[^1].FileIds);
        using var download = await b.Api.SendAsync(HttpMethod.Get, $"api/cases/{newCaseId}/files/{imported.FileId}/content", CaseApi.Coordinator);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());

        // 3. The acknowledgement travels back through B's answer queue to A's intake.
        var acceptedRow = (await b.Api.Host.Get<IncomingTransferStore>().GetAsync(Takamatsu, messageId, CancellationToken.None))!;
        Assert.Equal((IncomingTransferStates.Accepted, newCaseId), (acceptedRow.State, acceptedRow.CaseId));
        await WaitAsync(async () => (await outgoing.GetAsync(messageId, CancellationToken.None))!.State == OutgoingTransferStates.Acknowledged, "A's transfer is acknowledged");
        var acknowledged = (await outgoing.GetAsync(messageId, CancellationToken.None))!;
        Assert.Equal(acceptedRow.AcceptedAt, acknowledged.AcknowledgedAt);
        Assert.False(string.IsNullOrWhiteSpace(acknowledged.AcknowledgedBy));
        var view = (await CaseApi.BodyAsync(await a.Api.GetAsync(caseId)))["transfer"]!;
        Assert.Equal(("acknowledged", acknowledged.AcknowledgedBy), ((string)view["state"]!, (string)view["acknowledgedBy"]!));

        // High risk: closing as 移管 waits for the face-to-face hand-over, then goes through.
        using (var early = await CloseAsTransferredAsync(a.Api, caseId))
        {
            await CaseApi.ProblemAsync(early, Serverless.Problems.ProblemCatalogue.TransfersNotAcknowledged);
        }

        using var handover = await a.Api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/transfers/{messageId}/handover", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["date"] = "2025-06-16" }));
        Assert.True(handover.StatusCode == HttpStatusCode.OK, await handover.Content.ReadAsStringAsync());
        using var closed = await CloseAsTransferredAsync(a.Api, caseId);
        Assert.True(closed.StatusCode == HttpStatusCode.OK, await closed.Content.ReadAsStringAsync());
        Assert.Equal(CaseStatus.Closed, (await a.Api.Host.Get<CaseStore>().GetAsync(caseId, CancellationToken.None))!.Record.Status);

        // 4. The disclosure in the audit by case, on both sides.
        var sendAudit = Assert.Single(await CaseAuditAsync(a.Api, caseId), entry => entry.Action == AuditActions.TransferPackageSend && entry.Kind == AuditEntryKinds.Outcome);
        Assert.Equal(nameof(AuditOutcome.Succeeded), sendAudit.Outcome);
        Assert.Contains(reportId, sendAudit.EntriesTouched!);
        Assert.Equal((Chiyoda, messageId), (sendAudit.Target!.MunicipalityCode, sendAudit.Target.MessageId));
        Assert.Equal([Sha(pdf)], sendAudit.Target.FileHashes!);
        var acceptAudit = Assert.Single(await CaseAuditAsync(b.Api, newCaseId), entry => entry.Action == AuditActions.TransferIncomingAccept && entry.Kind == AuditEntryKinds.Outcome);
        Assert.Equal(nameof(AuditOutcome.Succeeded), acceptAudit.Outcome);
        Assert.Equal(entries.Select(entry => entry.EntryId).Order(), acceptAudit.EntriesTouched!.Order());
    }

    [Fact]
    public async Task AMoreRequestTravelsBackAndAWithdrawnTransfersLateAcknowledgementLeavesItWithdrawn()
    {
        var (a, b) = await PairAsync();
        await using var disposeA = a;
        await using var disposeB = b;
        var outgoing = a.Api.Host.Get<OutgoingTransferStore>();
        var asked = await a.Api.SharedCaseAsync();
        var withdrawnCase = await a.Api.SharedCaseAsync();
        var askedId = await SentAsync(a, asked);
        var withdrawnId = await SentAsync(a, withdrawnCase);
        foreach (var id in new[] { askedId, withdrawnId })
        {
            await WaitAsync(async () => (await outgoing.GetAsync(id, CancellationToken.None))!.State == OutgoingTransferStates.Delivered, "A's transfer is delivered");
        }

        // B asks for more: A's transfer shows the request.
        const string Request = "直近の家庭訪問記録と学校との連携記録を送ってください。𠮷野家の件も。";
        using var more = await b.Api.SendAsync(HttpMethod.Post, $"api/transfers/incoming/{Takamatsu}/{askedId}/more-requests", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["request"] = Request }));
        Assert.True(more.StatusCode == HttpStatusCode.OK, await more.Content.ReadAsStringAsync());
        await WaitAsync(async () => (await outgoing.GetAsync(askedId, CancellationToken.None))!.State == OutgoingTransferStates.MoreRequested, "A's transfer shows the more-request");
        var view = (await CaseApi.BodyAsync(await a.Api.GetAsync(asked)))["transfer"]!;
        Assert.Equal("more-requested", (string)view["state"]!);
        Assert.Equal(Request, (string)Assert.Single(view["moreRequests"]!.AsArray())!["request"]!);

        // A withdraws the other; B, not told, accepts it: the acknowledgement reaches A, is kept, and changes nothing.
        using var withdrawn = await a.Api.SendAsync(HttpMethod.Post, $"api/cases/{withdrawnCase}/transfers/{withdrawnId}/withdrawal", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["reason"] = "家族が転居を取りやめたため。" }));
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        using var accepted = await b.Api.SendAsync(HttpMethod.Post, $"api/transfers/incoming/{Takamatsu}/{withdrawnId}/acceptance", CaseApi.Coordinator, CaseApi.Json(new JsonObject()));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        var answers = a.Api.Host.Storage.Tables.GetTableClient(a.Api.Host.Names.Table(Serverless.Transfers.Answers.ReceivedTransferAnswerStore.TableName));
        await WaitAsync(async () => (await answers.QueryAsync<Azure.Data.Tables.TableEntity>().ToListAsync()).Any(row => row.GetString("PackageMessageId") == withdrawnId), "A received the late acknowledgement");
        var row = (await outgoing.GetAsync(withdrawnId, CancellationToken.None))!;
        Assert.Equal((OutgoingTransferStates.Withdrawn, (DateTimeOffset?)null, (string?)null), (row.State, row.AcknowledgedAt, row.AcknowledgedBy));
    }

    private static async Task<string> SentAsync(Council council, string caseId)
    {
        using var sent = await council.Api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/transfers", CaseApi.Coordinator, CaseApi.Json(OutgoingTransferWorld.Body()));
        var body = await CaseApi.BodyAsync(sent);
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        return (string)body["messageId"]!;
    }

    /// <summary>A PDF uploaded through the files API by A's coordinator and validated by A's own validation queue.</summary>
    private static async Task<string> UploadedFileAsync(CaseApi api, string caseId)
    {
        using var response = await api.SendAsync(
            HttpMethod.Post, $"api/cases/{caseId}/files", CaseApi.Coordinator, new ByteArrayContent(TestPdfs.Letter()),
            request => request.Headers.TryAddWithoutValidation("X-File-Name", Uri.EscapeDataString("連絡票.pdf")));
        var json = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, json.ToJsonString());
        var fileId = (string)json["fileId"]!;
        var files = api.Host.Get<CaseFiles>();
        await WaitAsync(async () => (await files.GetAsync(caseId, fileId, CancellationToken.None))?.State == FileState.Ready, "A's upload is ready");
        return fileId;
    }

    private static async Task<HttpResponseMessage> CloseAsTransferredAsync(CaseApi api, string caseId)
    {
        using var current = await api.GetAsync(caseId);
        return await api.PatchAsync(caseId, CaseApi.ETag(current), "終結", new JsonObject { ["status"] = "closed", ["closure"] = OutgoingTransferTests.Closure("transferred-to-another-municipality") });
    }
}

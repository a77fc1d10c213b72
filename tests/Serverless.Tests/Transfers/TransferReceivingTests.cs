using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Audit;
using Serverless.Backup;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Tests.Administration;
using Serverless.Tests.Cases.Api;
using Serverless.Transfers.Answers;
using Serverless.Transfers.CarriedFiles;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Packages;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Transfers;

/// <summary>
/// Receiving a transfer: a received package read by coordinators, accepted into one new case (entries of kind transferred,
/// coordinators only, secrecy kept), retried safely, answered with a more-request; refused for everyone else, for an unknown
/// message, and when the stored blob no longer opens. The answer outbox and the files seam are recording test
/// implementations (RecordingTransferSeams): the tests assert what was handed to them.
/// </summary>
public sealed class TransferReceivingTests
{
    private const string Us = "132012";
    private const string Partner = "131016";
    private const string PartnerName = "千代田区 子ども家庭支援センター";

    private static readonly Lazy<TestTransferKeys> OwnKeys = new(() => new TestTransferKeys());
    private static readonly Lazy<TestTransferKeys> PartnerKeys = new(() => new TestTransferKeys());
    private static readonly Lazy<TestTransferKeys> OtherKeys = new(() => new TestTransferKeys());

    private static async Task<AdminApi> StartAsync()
    {
        var api = await AdminApi.StartAsync(settings: new Dictionary<string, string>
        {
            ["Transfers:MunicipalityCode"] = Us,
            ["Transfers:SigningKeyPem"] = OwnKeys.Value.SigningPrivatePem,
            ["Transfers:DecryptionKeyPem"] = OwnKeys.Value.EncryptionPrivatePem,
        },
        services: services =>
        {
            // The receiving side alone: what it hands on is recorded here (the answers and carried files have their own tests).
            services.Replace(ServiceDescriptor.Singleton<ITransferAnswerOutbox, RecordingTransferAnswerOutbox>());
            services.Replace(ServiceDescriptor.Singleton<IAcceptedTransferFiles, RecordingAcceptedTransferFiles>());
        });
        await RegisterAsync(api, PartnerKeys.Value, expected: HttpStatusCode.Created);
        using var confirmed = await api.PostAsync($"api/admin/transfer-partners/{Partner}/confirmation", Coordinator, new JsonObject
        {
            ["encryptionKeyFingerprint"] = PartnerKeys.Value.EncryptionFingerprint,
            ["verificationKeyFingerprint"] = PartnerKeys.Value.SigningFingerprint,
            ["version"] = 1,
        });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        return api;
    }

    private static async Task RegisterAsync(AdminApi api, TestTransferKeys keys, HttpStatusCode expected)
    {
        using var saved = await api.SendAsync(HttpMethod.Put, "api/admin/transfer-partners/" + Partner, Admin, new JsonObject
        {
            ["displayName"] = PartnerName,
            ["endpointUrl"] = "https://partner.example.jp/api/transfers/incoming",
            ["encryptionKeyPem"] = keys.EncryptionPublicPem,
            ["verificationKeyPem"] = keys.SigningPublicPem,
        });
        Assert.Equal(expected, saved.StatusCode);
    }

    private static readonly string[] GivenNames = ["花子", "桜", "葵", "陽菜", "結衣", "芽依", "莉子", "美咲", "凛", "杏"];
    private static int children;

    /// <summary>A package about a child no other package of the test names (the duplicate check matches names and birth dates).</summary>
    private static TransferPackage Package(bool locationSecrecy = false, bool referrerSecrecy = true, int? child = null)
    {
        var n = child ?? Interlocked.Increment(ref children);
        return Package(GivenNames[n % GivenNames.Length], new DateOnly(2015, 4, 2).AddDays(n), locationSecrecy, referrerSecrecy);
    }

    private static TransferPackage Package(string given, DateOnly birthDate, bool locationSecrecy, bool referrerSecrecy) => new(
        TransferPackage.CurrentSchemaVersion,
        "c-0123456789abcdef",
        new TransferCaseRecord(CaseCategory.RequiringProtection, CaseStatus.Accepted, [AbuseType.Neglect], [], RiskLevel: RiskLevel.High,
            Child: new Person { Name = new PersonName { Family = "受入" + (birthDate.DayNumber % 97), Given = given }, BirthDate = birthDate },
            Location: new Location { Address = "東京都千代田区一番町1-1" }),
        [
            new TransferTimelineEntry(EntryIds.NewReport(), "report", new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero),
                JsonSerializer.SerializeToElement(new { narrative = "欠席が続いている" }),
                [new TransferFileReference("f-1", "写真.jpg", "image/jpeg", 6, new string('a', 64))], "南小学校"),
            new TransferTimelineEntry(EntryIds.NewComment(), "comment", new DateTimeOffset(2026, 10, 2, 0, 0, 0, TimeSpan.Zero),
                JsonSerializer.SerializeToElement(new { text = "家庭訪問を予定" }), [], "子ども家庭支援センター"),
        ],
        LocationSecrecy: locationSecrecy,
        ReferrerSecrecy: referrerSecrecy);

    /// <summary>Posts <paramref name="package"/> sealed by the partner to the intake (202) and answers its message id.</summary>
    private static async Task<string> ReceiveAsync(AdminApi api, TransferPackage package)
    {
        using var signer = new PemManifestSigner(PartnerKeys.Value.SigningPrivatePem, "test");
        var message = new TransferMessage(TransferMessageKind.Package, TransferIds.NewMessageId(), Partner, Us, new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero), package.ToJson());
        var sealedBytes = await TransferEnvelope.SealAsync(message, signer, OwnKeys.Value.Encryption, CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/transfers/incoming") { Content = new ByteArrayContent(sealedBytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await api.RunAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return message.MessageId;
    }

    private static string PathOf(string messageId) => $"api/transfers/incoming/{Partner}/{messageId}";

    private static Task<HttpResponseMessage> AcceptAsync(AdminApi api, string messageId, string subject = Coordinator, JsonObject? body = null)
        => api.PostAsync(PathOf(messageId) + "/acceptance", subject, body ?? new JsonObject());

    private static Task<HttpResponseMessage> MoreAsync(AdminApi api, string messageId, string request, string subject = Coordinator)
        => api.PostAsync(PathOf(messageId) + "/more-requests", subject, new JsonObject { ["request"] = request });

    private static Task<IncomingTransferEntity?> RowAsync(AdminApi api, string messageId)
        => api.Host.Get<IncomingTransferStore>().GetAsync(Partner, messageId, CancellationToken.None);

    private static RecordingTransferAnswerOutbox Outbox(AdminApi api) => Assert.IsType<RecordingTransferAnswerOutbox>(api.Host.Get<ITransferAnswerOutbox>());

    private static RecordingAcceptedTransferFiles Files(AdminApi api) => Assert.IsType<RecordingAcceptedTransferFiles>(api.Host.Get<IAcceptedTransferFiles>());

    /// <summary>The ids of every case stored (each case is one partition of the Cases table; the test host starts empty).</summary>
    private static async Task<List<string>> CaseIdsAsync(AdminApi api)
        => [.. (await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(CaseStore.TableName)).QueryAsync<TableEntity>(select: ["PartitionKey"]).ToListAsync())
            .Select(row => row.PartitionKey).Where(CaseIds.IsValid).Distinct()];

    private static async Task<List<StoredEntry>> TransferredEntriesAsync(AdminApi api, string caseId)
        => [.. (await api.Host.Get<EntryStore>().PageAsync(caseId, [EntryType.Transferred], null, 100, null, CancellationToken.None)).Entries];

    [Fact]
    public async Task ACoordinatorReadsTheReceivedPackageOpenedAgainAndTheDisclosureIsAudited()
    {
        await using var api = await StartAsync();
        var package = Package();
        var messageId = await ReceiveAsync(api, package);

        using var response = await api.GetAsync(PathOf(messageId), Coordinator);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(messageId, (string?)body["messageId"]);
        Assert.Equal(PartnerName, (string?)body["senderName"]);
        Assert.Equal("received", (string?)body["state"]);
        Assert.Equal(package.Case.Child!.Name.Given, (string?)body["case"]!["child"]!["name"]!["given"]);
        Assert.True((bool)body["referrerSecrecy"]!);
        Assert.False((bool)body["locationSecrecy"]!);
        var timeline = body["timeline"]!.AsArray();
        Assert.Equal(package.EntryIds(), timeline.Select(entry => (string)entry!["entryId"]!));
        Assert.Equal("欠席が続いている", (string?)timeline[0]!["content"]!["narrative"]);
        Assert.All(timeline, entry => Assert.Null(entry!["agencyName"])); // referrer secrecy hides the sending agency
        Assert.Equal(new string('a', 64), (string?)timeline[0]!["files"]![0]!["sha256"]);

        var audit = Assert.Single(await api.AuditOutcomesAsync(PersonId(Coordinator)), entry => entry.Action == AuditActions.TransferIncomingRead);
        Assert.Equal(nameof(AuditOutcome.Succeeded), audit.Outcome);
        Assert.Equal(package.EntryIds(), audit.EntriesTouched);
        Assert.Equal((Partner, messageId), (audit.Target?.MunicipalityCode, audit.Target?.MessageId));

        // Without referrer secrecy the sending agency is named.
        var open = await ReceiveAsync(api, Package(referrerSecrecy: false));
        using var named = await api.GetAsync(PathOf(open), Coordinator);
        Assert.Equal("南小学校", (string?)JsonNode.Parse(await named.Content.ReadAsStringAsync())!["timeline"]![0]!["agencyName"]);
    }

    [Fact]
    public async Task EveryRouteRefusesAMemberWith403AndAnUnknownMessageIs404AndNothingIsStored()
    {
        await using var api = await StartAsync();
        var messageId = await ReceiveAsync(api, Package());

        using (var read = await api.GetAsync(PathOf(messageId), Teacher))
        {
            await CaseApi.ProblemAsync(read, ProblemCatalogue.Forbidden);
        }

        using (var accept = await AcceptAsync(api, messageId, Teacher))
        {
            await CaseApi.ProblemAsync(accept, ProblemCatalogue.Forbidden);
        }

        using (var more = await MoreAsync(api, messageId, "追加で資料をください", Teacher))
        {
            await CaseApi.ProblemAsync(more, ProblemCatalogue.Forbidden);
        }

        var unknown = TransferIds.NewMessageId();
        using (var read = await api.GetAsync(PathOf(unknown), Coordinator))
        {
            await CaseApi.ProblemAsync(read, ProblemCatalogue.NotFound);
        }

        using (var accept = await AcceptAsync(api, unknown))
        {
            await CaseApi.ProblemAsync(accept, ProblemCatalogue.NotFound);
        }

        using (var notAnId = await api.GetAsync($"api/transfers/incoming/{Partner}/not-a-message", Coordinator))
        {
            await CaseApi.ProblemAsync(notAnId, ProblemCatalogue.NotFound);
        }

        var row = await RowAsync(api, messageId);
        Assert.Equal((IncomingTransferStates.Received, null, null), (row!.State, row.CaseId, row.MoreRequest));
        Assert.Empty(await CaseIdsAsync(api));
        Assert.Empty(Outbox(api).Sent);
        Assert.Empty(Files(api).Imported);
    }

    [Fact]
    public async Task AcceptanceCreatesOneCaseWithTheEntriesAsTransferredForCoordinatorsOnlyThenAnswersAndHandsTheFilesOn()
    {
        await using var api = await StartAsync();
        var package = Package();
        var messageId = await ReceiveAsync(api, package);

        using var response = await AcceptAsync(api, messageId);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var caseId = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["caseId"]!;
        Assert.Equal("/api/cases/" + caseId, response.Headers.Location!.OriginalString);
        Assert.Equal([caseId], await CaseIdsAsync(api));

        var stored = (await api.Host.Get<CaseStore>().GetAsync(caseId, CancellationToken.None))!;
        Assert.Equal(package.Case.Child!.Name.Given, stored.Record.Child!.Name.Given);
        Assert.False(stored.Record.LocationSecrecy);

        var entries = await TransferredEntriesAsync(api, caseId);
        Assert.Equal(package.EntryIds().Order(), entries.Select(entry => entry.Transferred!.Origin.EntryId).Order());
        Assert.All(entries, entry =>
        {
            Assert.Equal(EntryAudience.CoordinatorsOnly, entry.Scope.Audience);
            Assert.Equal((Partner, messageId), (entry.Transferred!.Origin.SenderMunicipalityCode, entry.Transferred.Origin.MessageId));
            Assert.Null(entry.Transferred.Origin.AgencyName); // referrer secrecy
        });
        var report = entries.Single(entry => entry.Transferred!.Kind == "report");
        Assert.Equal("欠席が続いている", (string?)report.Transferred!.Content["narrative"]);
        Assert.Equal(package.Timeline[0].At, report.Transferred.Origin.At);

        // Visible to a coordinator; not to a member named on the case in its lead agency (who sees what is for every participant).
        var open = new OpenCase(stored, BreakGlass: false);
        var member = new Caller("member-of-lead", stored.Record.LeadAgencyId, CallerRole.Member);
        var coordinator = new Caller("another-coordinator", "somewhere", CallerRole.Coordinator);
        Assert.All(entries, entry => Assert.False(EntryVisibility.Sees(member, open, entry)));
        Assert.All(entries, entry => Assert.True(EntryVisibility.Sees(coordinator, open, entry)));
        Assert.True(EntryVisibility.Sees(member, open, entries[0] with { Scope = EntryScope.AllParticipants })); // the check can fail
        using var timeline = await api.GetAsync($"api/cases/{caseId}/timeline?pageSize=50", Coordinator);
        Assert.Equal(HttpStatusCode.OK, timeline.StatusCode);
        var shown = JsonNode.Parse(await timeline.Content.ReadAsStringAsync())!["entries"]!.AsArray().Where(entry => (string?)entry!["type"] == "transferred").ToList();
        Assert.Equal(2, shown.Count);
        Assert.All(shown, entry => Assert.Equal(messageId, (string?)entry!["transferred"]!["origin"]!["messageId"]));

        var row = (await RowAsync(api, messageId))!;
        Assert.Equal((IncomingTransferStates.Accepted, caseId), (row.State, row.CaseId));
        var answer = Assert.Single(Outbox(api).Sent);
        Assert.Equal((Partner, messageId, TransferAnswerKinds.Acknowledgement, row.AcceptedAt!.Value, (string?)null), (answer.SenderMunicipalityCode, answer.PackageMessageId, answer.Kind, answer.AnsweredAt, answer.Request));
        Assert.False(string.IsNullOrWhiteSpace(answer.AnsweredByName));
        var accepted = Assert.Single(Files(api).Imported);
        Assert.Equal((Partner, messageId, caseId), (accepted.SenderMunicipalityCode, accepted.PackageMessageId, accepted.CaseId));
        Assert.Equal(entries.Select(entry => entry.EntryId).Order(), accepted.Entries.Select(entry => entry.EntryId).Order());
        Assert.Single(accepted.Entries.Single(entry => entry.OriginEntryId == package.Timeline[0].EntryId).Files);

        // The audit by case of the new case lists the imported entries.
        var byCase = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, null, null, CancellationToken.None)).Page.Entries;
        var audit = Assert.Single(byCase, entry => entry.Action == AuditActions.TransferIncomingAccept && entry.Kind == AuditEntryKinds.Outcome);
        Assert.Equal(nameof(AuditOutcome.Succeeded), audit.Outcome);
        Assert.Equal(entries.Select(entry => entry.EntryId).Order(), audit.EntriesTouched!.Order());

        // Accepting twice: 409, nothing more.
        using var again = await AcceptAsync(api, messageId);
        await CaseApi.ProblemAsync(again, ProblemCatalogue.TransfersAlreadyDecided);
        Assert.Equal([caseId], await CaseIdsAsync(api));
        Assert.Single(Outbox(api).Sent);
    }

    [Fact]
    public async Task APossibleDuplicateFollowsTheRegistrationsContractAndLeavesThePackageReceivedUntilConfirmed()
    {
        await using var api = await StartAsync();
        var n = Interlocked.Increment(ref children);
        var first = await ReceiveAsync(api, Package(child: n));
        var second = await ReceiveAsync(api, Package(child: n)); // the same child again
        using var accepted = await AcceptAsync(api, first);
        var firstCase = (string)JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["caseId"]!;

        using (var duplicate = await AcceptAsync(api, second))
        {
            await CaseApi.ProblemAsync(duplicate, ProblemCatalogue.PossibleDuplicate);
        }

        var row = (await RowAsync(api, second))!;
        Assert.Equal((IncomingTransferStates.Received, null), (row.State, row.CaseId));
        Assert.Equal([firstCase], await CaseIdsAsync(api));
        Assert.Single(Outbox(api).Sent);

        using var confirmed = await AcceptAsync(api, second, body: new JsonObject { ["confirmedNotDuplicateOf"] = new JsonArray(firstCase) });
        Assert.Equal(HttpStatusCode.Created, confirmed.StatusCode);
        Assert.Equal(2, (await CaseIdsAsync(api)).Count);
    }

    [Fact]
    public async Task LocationAndReferrerSecrecyFromThePackageAreKeptInTheNewCase()
    {
        await using var api = await StartAsync();
        var secret = await ReceiveAsync(api, Package(locationSecrecy: true, referrerSecrecy: true));
        var open = await ReceiveAsync(api, Package(locationSecrecy: false, referrerSecrecy: false));

        using var first = await AcceptAsync(api, secret);
        using var second = await AcceptAsync(api, open);
        var secretCase = (string)JsonNode.Parse(await first.Content.ReadAsStringAsync())!["caseId"]!;
        var openCase = (string)JsonNode.Parse(await second.Content.ReadAsStringAsync())!["caseId"]!;

        var cases = api.Host.Get<CaseStore>();
        var secretRecord = (await cases.GetAsync(secretCase, CancellationToken.None))!.Record;
        Assert.True(secretRecord.LocationSecrecy);
        Assert.False((await cases.GetAsync(openCase, CancellationToken.None))!.Record.LocationSecrecy);
        // As for any local case under 所在秘匿: a member of the lead agency does not see where the child lives.
        Assert.False(CaseAccess.CanSeeLocation(new Caller("member-of-lead", secretRecord.LeadAgencyId, CallerRole.Member), secretRecord));
        Assert.All(await TransferredEntriesAsync(api, secretCase), entry => Assert.Null(entry.Transferred!.Origin.AgencyName));
        Assert.Contains(await TransferredEntriesAsync(api, openCase), entry => entry.Transferred!.Origin.AgencyName == "南小学校");
    }

    [Fact]
    public async Task AnAcceptanceRetriedAfterACrashInAcceptingFinishesTheSameCase()
    {
        await using var api = await StartAsync();
        var messageId = await ReceiveAsync(api, Package());
        Outbox(api).FailNext = true; // the case and its entries are written, then the process "crashes"

        using (var crashed = await AcceptAsync(api, messageId))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, crashed.StatusCode);
        }

        var row = (await RowAsync(api, messageId))!;
        Assert.Equal(IncomingTransferStates.Accepting, row.State);
        var reserved = row.CaseId!;
        Assert.Equal([reserved], await CaseIdsAsync(api));
        Assert.Equal(2, (await TransferredEntriesAsync(api, reserved)).Count);

        using var retried = await AcceptAsync(api, messageId);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(reserved, (string?)JsonNode.Parse(await retried.Content.ReadAsStringAsync())!["caseId"]);
        Assert.Equal([reserved], await CaseIdsAsync(api));
        Assert.Equal(2, (await TransferredEntriesAsync(api, reserved)).Count);
        var answer = Assert.Single(Outbox(api).Sent);
        Assert.Equal(row.AcceptedAt, answer.AnsweredAt); // the decision's time, fixed by the reservation
        Assert.Equal(IncomingTransferStates.Accepted, (await RowAsync(api, messageId))!.State);
    }

    [Fact]
    public async Task AMoreRequestIsStoredAndHandedToTheOutboxOnceRetriedAndLeavesThePackageOpenForAcceptance()
    {
        await using var api = await StartAsync();
        var messageId = await ReceiveAsync(api, Package());
        var text = "直近の家庭訪問記録と、𠮷田医師の所見を送ってください。\n" + new string('あ', 10);

        using (var empty = await MoreAsync(api, messageId, " "))
        {
            await CaseApi.ProblemAsync(empty, ProblemCatalogue.ValidationFailed);
        }

        using (var tooLong = await MoreAsync(api, messageId, string.Concat(Enumerable.Repeat("𠮷", 2001))))
        {
            await CaseApi.ProblemAsync(tooLong, ProblemCatalogue.ValidationFailed);
        }

        Assert.Equal(IncomingTransferStates.Received, (await RowAsync(api, messageId))!.State);
        Assert.Empty(Outbox(api).Sent);

        using var asked = await MoreAsync(api, messageId, text);
        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        using var retried = await MoreAsync(api, messageId, text);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var row = (await RowAsync(api, messageId))!;
        Assert.Equal((IncomingTransferStates.MoreRequested, text, PersonId(Coordinator)), (row.State, row.MoreRequest, row.MoreRequestedBy));
        var answers = Outbox(api).Sent.ToList();
        Assert.Equal(2, answers.Count);
        Assert.All(answers, answer => Assert.Equal((Partner, messageId, TransferAnswerKinds.MoreRequest, text, row.MoreRequestedAt!.Value), (answer.SenderMunicipalityCode, answer.PackageMessageId, answer.Kind, answer.Request, answer.AnsweredAt)));

        using (var atLimit = await MoreAsync(api, messageId, string.Concat(Enumerable.Repeat("𠮷", 2000))))
        {
            Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode); // counted as characters a person sees
        }

        using var accepted = await AcceptAsync(api, messageId);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        using var late = await MoreAsync(api, messageId, text);
        await CaseApi.ProblemAsync(late, ProblemCatalogue.TransfersAlreadyDecided);
        Assert.Equal(IncomingTransferStates.Accepted, (await RowAsync(api, messageId))!.State);
    }

    [Fact]
    public async Task APackageThatNoLongerOpensIs409AndNothingIsStored()
    {
        await using var api = await StartAsync();
        var messageId = await ReceiveAsync(api, Package());
        await RegisterAsync(api, OtherKeys.Value, expected: HttpStatusCode.OK); // new keys: the partner is unconfirmed since

        using (var read = await api.GetAsync(PathOf(messageId), Coordinator))
        {
            await CaseApi.ProblemAsync(read, ProblemCatalogue.TransfersPackageUnreadable);
        }

        using (var accept = await AcceptAsync(api, messageId))
        {
            await CaseApi.ProblemAsync(accept, ProblemCatalogue.TransfersPackageUnreadable);
        }

        var row = (await RowAsync(api, messageId))!;
        Assert.Equal((IncomingTransferStates.Received, null), (row.State, row.CaseId));
        Assert.Empty(await CaseIdsAsync(api));
        Assert.Empty(Outbox(api).Sent);
        Assert.Empty(Files(api).Imported);
    }
}

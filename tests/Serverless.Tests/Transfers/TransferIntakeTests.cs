using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Backup;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Problems;
using Serverless.Tests.Administration;
using Serverless.Tests.Cases.Api;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Packages;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Transfers;

/// <summary>
/// The intake (<c>POST /api/transfers/incoming</c>, no token): a confirmed partner's package addressed to us is stored as
/// received (blob, then row), audited with what it carries, and receipted; every other message gets one identical 403
/// and stores nothing, whatever was wrong with it. Then the coordinators' list of what arrived.
/// </summary>
public sealed class TransferIntakeTests
{
    private const string Us = "132012";
    private const string Partner = "131016";   // registered and confirmed
    private const string Unconfirmed = "372030"; // registered, never confirmed
    private const string Unknown = "130001";   // never registered
    private const string Path = "api/transfers/incoming";

    private static readonly Lazy<TestTransferKeys> OwnKeys = new(() => new TestTransferKeys());
    private static readonly Lazy<TestTransferKeys> PartnerKeys = new(() => new TestTransferKeys());
    private static readonly Lazy<TestTransferKeys> OtherKeys = new(() => new TestTransferKeys());

    private static readonly string FileHash = Convert.ToHexStringLower(SHA256.HashData("写真"u8));

    private static async Task<AdminApi> StartAsync()
    {
        var api = await AdminApi.StartAsync(settings: new Dictionary<string, string>
        {
            ["Transfers:MunicipalityCode"] = Us,
            ["Transfers:SigningKeyPem"] = OwnKeys.Value.SigningPrivatePem,
            ["Transfers:DecryptionKeyPem"] = OwnKeys.Value.EncryptionPrivatePem,
        });
        await RegisterAsync(api, Partner, "千代田区 子ども家庭支援センター", PartnerKeys.Value, confirm: true);
        await RegisterAsync(api, Unconfirmed, "検証市 子ども家庭課", OtherKeys.Value, confirm: false);
        return api;
    }

    private static async Task RegisterAsync(AdminApi api, string code, string name, TestTransferKeys keys, bool confirm)
    {
        using var saved = await api.SendAsync(HttpMethod.Put, "api/admin/transfer-partners/" + code, Admin, new JsonObject
        {
            ["displayName"] = name,
            ["endpointUrl"] = "https://partner.example.jp/api/transfers/incoming",
            ["encryptionKeyPem"] = keys.EncryptionPublicPem,
            ["verificationKeyPem"] = keys.SigningPublicPem,
        });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        if (confirm)
        {
            using var confirmed = await api.PostAsync($"api/admin/transfer-partners/{code}/confirmation", Coordinator, new JsonObject
            {
                ["encryptionKeyFingerprint"] = keys.EncryptionFingerprint,
                ["verificationKeyFingerprint"] = keys.SigningFingerprint,
                ["version"] = 1,
            });
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }
    }

    private static TransferPackage Package(params string[] entryIds) => new(
        TransferPackage.CurrentSchemaVersion,
        "c-0123456789abcdef",
        new TransferCaseRecord(CaseCategory.RequiringProtection, CaseStatus.Accepted, [AbuseType.Neglect], [], RiskLevel: RiskLevel.High,
            Child: new Person { Name = new PersonName { Family = "山田", Given = "花子" } }),
        [.. entryIds.Select((id, index) => new TransferTimelineEntry(
            id, "report", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), JsonSerializer.SerializeToElement(new { text = "欠席が続いている" }),
            index == 0 ? [new TransferFileReference("f-1", "写真.jpg", "image/jpeg", 6, FileHash)] : []))],
        LocationSecrecy: false,
        ReferrerSecrecy: true);

    private static async Task<byte[]> SealAsync(
        TransferPackage? package = null, string sender = Partner, string receiver = Us, TestTransferKeys? signedBy = null, RSA? encryptedTo = null,
        string kind = TransferMessageKind.Package, byte[]? payload = null)
    {
        using var signer = new PemManifestSigner((signedBy ?? PartnerKeys.Value).SigningPrivatePem, "test");
        var message = new TransferMessage(kind, TransferIds.NewMessageId(), sender, receiver, new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero),
            payload ?? (package ?? Package(EntryIds.NewReport(), EntryIds.NewReport())).ToJson());
        return await TransferEnvelope.SealAsync(message, signer, encryptedTo ?? OwnKeys.Value.Encryption, CancellationToken.None);
    }

    private static async Task<HttpResponseMessage> PostAsync(AdminApi api, byte[] body, string? bearerFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        if (bearerFor is not null)
        {
            api.Host.SignIn(request, bearerFor);
        }

        return await api.RunAsync(request);
    }

    private static TableClient Table(AdminApi api) => api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(IncomingTransferStore.TableName));

    private static async Task<List<TableEntity>> RowsAsync(AdminApi api) => await Table(api).QueryAsync<TableEntity>().ToListAsync();

    private static async Task<List<string>> BlobsAsync(AdminApi api)
    {
        var names = new List<string>();
        await foreach (var blob in api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(IncomingTransferStore.Container)).GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>The problem without what differs on every request (its request id).</summary>
    private static async Task<string> RefusedAsync(HttpResponseMessage response)
    {
        var body = await CaseApi.ProblemAsync(response, ProblemCatalogue.TransferRefused);
        Assert.Equal("/" + Path, (string?)body["instance"]);
        body.Remove("requestId");
        return body.ToJsonString();
    }

    [Fact]
    public async Task AConfirmedPartnersPackageIsStoredAsReceivedAuditedWithWhatItCarriesAndReceipted()
    {
        await using var api = await StartAsync();
        var entries = new[] { EntryIds.NewReport(), EntryIds.NewReport() };
        var sealedBytes = await SealAsync(Package(entries));
        var messageId = TransferEnvelope.ReadRouting(sealedBytes).MessageId;

        // A bearer token sent along changes nothing: the intake reads no credentials.
        using var response = await PostAsync(api, sealedBytes, bearerFor: Teacher);

        var receipt = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, receipt.ToJsonString());
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(sealedBytes));
        Assert.Equal((messageId, sha256), ((string)receipt["messageId"]!, (string)receipt["sha256"]!));
        Assert.Equal(api.Clock.GetUtcNow().AddMilliseconds(-1), receipt["receivedAt"]!.GetValue<DateTimeOffset>());
        var row = Assert.Single(await RowsAsync(api));
        Assert.Equal((Partner, messageId, sha256, "received", (long)sealedBytes.Length), (row.PartitionKey, row.RowKey, row.GetString("Sha256"), row.GetString("State"), row.GetInt64("Length")));
        Assert.Equal([messageId], await BlobsAsync(api));
        var stored = (await api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(IncomingTransferStore.Container)).GetBlobClient(messageId).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(sealedBytes, stored);
        var audit = Assert.Single(await api.AuditOutcomesAsync(Partner));
        Assert.Equal((AuditActions.TransferPackageReceive, nameof(AuditOutcome.Succeeded), nameof(AuditActorKind.Partner)), (audit.Action, audit.Outcome, audit.ActorKind));
        Assert.Equal((Partner, messageId), (audit.Target?.MunicipalityCode, audit.Target?.MessageId));
        Assert.Equal(entries, audit.EntriesTouched);
        Assert.Equal([FileHash], audit.Target?.FileHashes);
    }

    [Fact]
    public async Task EveryKindOfRefusalGetsTheSameAnswerStoresNothingAndLogsOnlyItsReason()
    {
        await using var api = await StartAsync();
        var tampered = await SealAsync();
        tampered[^20] ^= 0x01;
        var cases = new (string Reason, byte[] Body)[]
        {
            (IntakeRefusals.Undecryptable, tampered),
            (IntakeRefusals.NotForUs, await SealAsync(receiver: "130001", encryptedTo: OtherKeys.Value.Encryption)),
            (IntakeRefusals.UnknownSender, await SealAsync(sender: Unconfirmed, signedBy: OtherKeys.Value)),
            (IntakeRefusals.UnknownSender, await SealAsync(sender: Unknown)),
            (IntakeRefusals.BadSignature, await SealAsync(signedBy: OtherKeys.Value)),
            (IntakeRefusals.NotAPackage, await SealAsync(payload: """{"hello":"世界"}"""u8.ToArray())),
            (IntakeRefusals.NotAnAnswer, await SealAsync(kind: TransferMessageKind.Acknowledgement)),
            (IntakeRefusals.Malformed, "これは移管パッケージではありません"u8.ToArray()),
            (IntakeRefusals.Malformed, []),
        };

        var answers = new List<string>();
        foreach (var (reason, body) in cases)
        {
            var logged = api.Host.Logs.Entries.Count;
            using var response = await PostAsync(api, body);
            answers.Add(await RefusedAsync(response));
            var log = Assert.Single(api.Host.Logs.Entries.Skip(logged), entry => entry.Category.EndsWith(nameof(TransferIntake), StringComparison.Ordinal));
            Assert.Contains($"refused: {reason} RequestId=", log.Text, StringComparison.Ordinal); // the formatted message, then its values
        }

        Assert.Single(answers.Distinct(StringComparer.Ordinal));
        Assert.Empty(await RowsAsync(api));
        Assert.Empty(await BlobsAsync(api));
        Assert.Empty(await api.AuditOutcomesAsync(Partner)); // no refusal is put down to the partner
    }

    [Fact]
    public async Task TheSameBytesSentTwiceAreRefusedTheSecondTimeAndLeaveOneRow()
    {
        await using var api = await StartAsync();
        var sealedBytes = await SealAsync();

        using var first = await PostAsync(api, sealedBytes);
        using var replay = await PostAsync(api, sealedBytes);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using var garbage = await PostAsync(api, "not a package"u8.ToArray());
        Assert.Equal(await RefusedAsync(garbage), await RefusedAsync(replay));
        Assert.Single(await RowsAsync(api));
        Assert.Single(await BlobsAsync(api));
        Assert.Equal([nameof(AuditOutcome.Succeeded)], (await api.AuditOutcomesAsync(Partner)).Select(entry => entry.Outcome));
    }

    [Fact]
    public async Task OfTwoCopiesSentAtOnceOneIsAcceptedAndTheOtherRefused()
    {
        await using var api = await StartAsync();
        var sealedBytes = await SealAsync();

        var responses = await Task.WhenAll(PostAsync(api, sealedBytes), PostAsync(api, sealedBytes));

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Forbidden], responses.Select(response => response.StatusCode).Order());
        Assert.Single(await RowsAsync(api));
        Assert.Single(await BlobsAsync(api));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ABodyOverEightMebibytesIs413AndOneAtTheLimitIsRead()
    {
        await using var api = await StartAsync();
        var atLimit = new byte[IncomingTransferLimits.MaxBodyBytes];
        var over = new byte[IncomingTransferLimits.MaxBodyBytes + 1];

        using var tooLarge = await PostAsync(api, over);
        using var read = await PostAsync(api, atLimit);

        Assert.Equal(8 * 1024 * 1024, IncomingTransferLimits.MaxBodyBytes);
        await AssertProblemAsync(tooLarge, ProblemCatalogue.BodyTooLarge, Path, detail: $"本文が上限の {IncomingTransferLimits.MaxBodyBytes} バイトを超えています。");
        await RefusedAsync(read);
        Assert.Empty(await RowsAsync(api));
        Assert.Empty(await BlobsAsync(api));
    }

    [Fact]
    public async Task APackageCarryingMoreEntriesThanTheLimitIsRefused()
    {
        await using var api = await StartAsync();
        var entries = Enumerable.Range(0, IncomingTransferLimits.MaxEntries + 1).Select(_ => EntryIds.NewReport()).ToArray();

        using var response = await PostAsync(api, await SealAsync(Package(entries)));
        using var atLimit = await PostAsync(api, await SealAsync(Package(entries[..IncomingTransferLimits.MaxEntries])));

        await RefusedAsync(response);
        Assert.Equal(HttpStatusCode.Accepted, atLimit.StatusCode);
        Assert.Equal(IncomingTransferLimits.MaxEntries, Assert.Single(await api.AuditOutcomesAsync(Partner)).EntriesTouched!.Count);
    }

    [Fact]
    public async Task APackageCarryingMoreFilesThanTheLimitIsRefusedAndOneAtTheLimitIsAuditedWithEveryHash()
    {
        await using var api = await StartAsync();
        var hashes = Enumerable.Range(0, IncomingTransferLimits.MaxFiles + 1).Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))).ToArray();

        using var response = await PostAsync(api, await SealAsync(WithFiles(hashes)));
        using var atLimit = await PostAsync(api, await SealAsync(WithFiles(hashes[..IncomingTransferLimits.MaxFiles])));

        await RefusedAsync(response);
        Assert.Equal(HttpStatusCode.Accepted, atLimit.StatusCode);
        Assert.Equal(hashes[..IncomingTransferLimits.MaxFiles], Assert.Single(await api.AuditOutcomesAsync(Partner)).Target?.FileHashes);
    }

    /// <summary>A package of one report carrying a file for each hash.</summary>
    private static TransferPackage WithFiles(string[] hashes)
    {
        var package = Package(EntryIds.NewReport());
        var files = hashes.Select((hash, index) => new TransferFileReference($"f-{index}", $"写真{index}.jpg", "image/jpeg", 6, hash)).ToList();
        return package with { Timeline = [package.Timeline[0] with { Files = files }] };
    }

    [Fact]
    public async Task TheIncomingTableAndContainerAreDeclaredSoBackupsReadThemBeforeTheAuditTrail()
    {
        await using var api = await StartAsync();
        var declared = api.Host.Get<Microsoft.Extensions.Options.IOptions<Serverless.Storage.StorageResources>>().Value;

        var order = Serverless.Backup.BackupReadOrder.Of(declared).ToList();

        var table = order.IndexOf(new Serverless.Backup.TableSource(IncomingTransferStore.TableName));
        var container = order.IndexOf(new Serverless.Backup.ContainerSource(IncomingTransferStore.Container));
        var auditLog = order.IndexOf(new Serverless.Backup.TableSource(AuditTables.LogTable));
        Assert.True(table >= 0 && container >= 0, string.Join(", ", order));
        Assert.True(table < auditLog && container < auditLog, string.Join(", ", order));
    }

    [Fact]
    public async Task CoordinatorsListWhatArrivedWithTheSendersNameAndNoChildData()
    {
        await using var api = await StartAsync();
        var sealedBytes = await SealAsync();
        using var received = await PostAsync(api, sealedBytes);
        Assert.Equal(HttpStatusCode.Accepted, received.StatusCode);

        using var list = await api.GetAsync("api/transfers?direction=incoming", Coordinator);

        var body = await CaseApi.BodyAsync(list);
        Assert.True(list.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var item = Assert.Single(body["transfers"]!.AsArray())!;
        Assert.Equal(
            (TransferEnvelope.ReadRouting(sealedBytes).MessageId, Partner, "千代田区 子ども家庭支援センター", "received", Convert.ToHexStringLower(SHA256.HashData(sealedBytes))),
            ((string)item["messageId"]!, (string)item["senderMunicipalityCode"]!, (string)item["senderName"]!, (string)item["state"]!, (string)item["sha256"]!));
        Assert.Null(body["continuationToken"]);
        Assert.DoesNotContain("山田", body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        var audit = Assert.Single(await api.AuditOutcomesAsync(PersonId(Coordinator)), entry => entry.Action == AuditActions.TransferIncomingList);
        Assert.Equal(nameof(AuditOutcome.Succeeded), audit.Outcome);
    }

    [Theory]
    [InlineData(Teacher)]
    [InlineData(Admin)]
    [InlineData(Auditor)]
    public async Task EveryoneButACoordinatorIsRefusedTheList(string subject)
    {
        await using var api = await StartAsync();

        using var refused = await api.GetAsync("api/transfers?direction=incoming", subject);
        using var anonymous = await api.GetAsync("api/transfers?direction=incoming", null);

        await AssertProblemAsync(refused, ProblemCatalogue.Forbidden, "api/transfers");
        await AssertProblemAsync(anonymous, ProblemCatalogue.Unauthenticated, "api/transfers");
    }

    [Fact]
    public async Task TheListPagesWithinItsLimitsAndNeedsTheIncomingDirection()
    {
        await using var api = await StartAsync();
        foreach (var _ in Enumerable.Range(0, 3))
        {
            using var received = await PostAsync(api, await SealAsync());
            Assert.Equal(HttpStatusCode.Accepted, received.StatusCode);
        }

        using var first = await api.GetAsync("api/transfers?direction=incoming&pageSize=2", Coordinator);
        var firstBody = await CaseApi.BodyAsync(first);
        var token = (string)firstBody["continuationToken"]!;
        using var second = await api.GetAsync($"api/transfers?direction=incoming&pageSize=2&continuationToken={token}", Coordinator);
        var secondBody = await CaseApi.BodyAsync(second);
        using var zero = await api.GetAsync("api/transfers?direction=incoming&pageSize=0", Coordinator);
        using var tooMany = await api.GetAsync("api/transfers?direction=incoming&pageSize=101", Coordinator);
        using var hundred = await api.GetAsync("api/transfers?direction=incoming&pageSize=100", Coordinator);
        using var missing = await api.GetAsync("api/transfers", Coordinator);
        using var outgoing = await api.GetAsync("api/transfers?direction=outgoing", Coordinator);
        using var foreignToken = await api.GetAsync("api/transfers?direction=incoming&continuationToken=" + Serverless.Storage.ContinuationTokens.Encode("referrals-x", "y"), Coordinator);

        Assert.Equal(2, firstBody["transfers"]!.AsArray().Count);
        Assert.Single(secondBody["transfers"]!.AsArray());
        Assert.Null(secondBody["continuationToken"]);
        Assert.Equal(3, firstBody["transfers"]!.AsArray().Concat(secondBody["transfers"]!.AsArray()).Select(item => (string)item!["messageId"]!).Distinct().Count());
        await CaseApi.ValidationErrorsAsync(zero, ("$.pageSize", "out-of-range"));
        await CaseApi.ValidationErrorsAsync(tooMany, ("$.pageSize", "out-of-range"));
        Assert.Equal(3, (await CaseApi.BodyAsync(hundred))["transfers"]!.AsArray().Count);
        await CaseApi.ValidationErrorsAsync(missing, ("$.direction", "required"));
        await CaseApi.ValidationErrorsAsync(outgoing, ("$.direction", "invalid-value"));
        await CaseApi.ValidationErrorsAsync(foreignToken, ("$.continuationToken", "invalid-id"));
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.DevHost;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Partners;

namespace Serverless.Tests.Transfers;

/// <summary>
/// A council (高松市, 372013) set up for transfers with its own signing key, and a partner (千代田区, 131016) whose keys the
/// test holds: packages sealed for it are opened here with the partner's private key, as the partner would.
/// </summary>
internal sealed class OutgoingTransferWorld : IAsyncDisposable
{
    public const string Own = "372013";
    public const string Partner = "131016";

    private OutgoingTransferWorld(CaseApi api, TestTransferKeys ours, TestTransferKeys theirs)
    {
        Api = api;
        Ours = ours;
        Theirs = theirs;
    }

    public CaseApi Api { get; }

    /// <summary>This council's keys: the signing key is the app's (Transfers:SigningKeyPem).</summary>
    public TestTransferKeys Ours { get; }

    /// <summary>The partner's keys: packages are encrypted to its public key.</summary>
    public TestTransferKeys Theirs { get; }

    /// <param name="receives">Also this council's decryption key, so its intake opens what partners send it (their answers).</param>
    public static async Task<OutgoingTransferWorld> StartAsync(bool configured = true, IReadOnlyDictionary<string, string>? settings = null, bool backgroundTriggers = false, Action<HostSettings>? hostSettings = null, bool receives = false)
    {
        var ours = new TestTransferKeys();
        var theirs = new TestTransferKeys();
        var all = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
        if (configured)
        {
            all["Transfers:MunicipalityCode"] = Own;
            all["Transfers:SigningKeyPem"] = ours.SigningPrivatePem;
            if (receives)
            {
                all["Transfers:DecryptionKeyPem"] = ours.EncryptionPrivatePem;
            }
        }

        return new OutgoingTransferWorld(await CaseApi.StartAsync(backgroundTriggers: backgroundTriggers, settings: all, hostSettings: hostSettings), ours, theirs);
    }

    /// <summary>Registers the partner (as an admin's PUT would store it), confirmed or not, with its intake endpoint.</summary>
    public async Task RegisterPartnerAsync(bool confirmed = true, string endpoint = "https://chiyoda.example.jp/api/transfers/incoming", string code = Partner)
    {
        var saved = await Api.Host.Get<TransferPartnerStore>().SaveAsync(
            new TransferPartnerEntity
            {
                RowKey = code,
                DisplayName = "千代田区 子ども家庭支援センター",
                EndpointUrl = endpoint,
                EncryptionKeyPem = Theirs.EncryptionPublicPem,
                EncryptionKeyFingerprint = Theirs.EncryptionFingerprint,
                VerificationKeyPem = Theirs.SigningPublicPem,
                VerificationKeyFingerprint = Theirs.SigningFingerprint,
                Version = 1,
                UpdatedAt = CaseApi.Now,
                UpdatedBy = "p-admin",
                ConfirmedVersion = confirmed ? 1 : null,
                ConfirmedAt = confirmed ? CaseApi.Now : null,
                ConfirmedBy = confirmed ? DemoPeople.PersonId(CaseApi.Coordinator) : null,
            },
            CancellationToken.None);
        Assert.True(saved);
    }

    public static JsonObject Body(string risk = "medium", string? faceToFaceDate = "2025-06-20", string summary = "母と本人で千代田区へ転居。前住所地で二度の一時保護歴あり。登校状況の確認を依頼したい。")
    {
        var faceToFace = new JsonObject { ["arranged"] = faceToFaceDate is not null };
        if (faceToFaceDate is not null)
        {
            faceToFace["date"] = faceToFaceDate;
        }

        return new JsonObject
        {
            ["receiverMunicipalityCode"] = Partner,
            ["reason"] = new JsonObject { ["kind"] = "family-move", ["newArea"] = "東京都千代田区（番地は不明）" },
            ["riskLevel"] = risk,
            ["summary"] = summary,
            ["faceToFace"] = faceToFace,
        };
    }

    public Task<HttpResponseMessage> SendAsync(string caseId, JsonNode body, string? person = CaseApi.Coordinator)
        => Api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/transfers", person, CaseApi.Json(body));

    /// <summary>Sends a transfer that must be accepted (202); returns its message id.</summary>
    public async Task<string> SentAsync(string caseId, JsonNode? body = null)
    {
        using var response = await SendAsync(caseId, body ?? Body());
        var json = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, json.ToJsonString());
        return (string)json["messageId"]!;
    }

    /// <summary>A PDF uploaded by the coordinator and validated (ready), not yet attached.</summary>
    public async Task<string> ReadyFileAsync(string caseId, string name = "連絡票.pdf")
    {
        using var response = await Api.SendAsync(
            HttpMethod.Post, $"api/cases/{caseId}/files", CaseApi.Coordinator, new ByteArrayContent(Serverless.Tests.Files.TestPdfs.Letter()),
            request => request.Headers.TryAddWithoutValidation("X-File-Name", Uri.EscapeDataString(name)));
        var json = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, json.ToJsonString());
        var fileId = (string)json["fileId"]!;
        await Api.Host.Get<Serverless.Files.Validation.FileValidationQueue>().ValidateAsync(caseId, fileId, CancellationToken.None);
        return fileId;
    }

    /// <summary>The outcome entries the coordinator left, oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> CoordinatorAuditAsync()
    {
        var outcome = await Api.Host.Get<AuditQuery>().ByActorAsync(DemoPeople.PersonId(CaseApi.Coordinator), CaseApi.Now.AddDays(-1), CaseApi.Now.AddDays(1), AuditQuery.MaxPageSize, null, CancellationToken.None);
        return [.. Assert.IsType<AuditQueryOutcome.Done>(outcome).Page.Entries.Where(entry => entry.Kind != AuditEntryKinds.Intent)];
    }

    public async Task<OutgoingTransferEntity> RowAsync(string messageId)
        => Assert.IsType<OutgoingTransferEntity>(await Api.Host.Get<OutgoingTransferStore>().GetAsync(messageId, CancellationToken.None));

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        Ours.Dispose();
        Theirs.Dispose();
    }
}

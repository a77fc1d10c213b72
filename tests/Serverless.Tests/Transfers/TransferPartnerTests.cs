using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Problems;
using Serverless.Tests.Administration;
using Serverless.Tests.Cases.Api;
using Serverless.Transfers.Partners;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Transfers;

/// <summary>
/// Partner councils for transfers (移管): an admin registers one, a coordinator confirms it after reading both
/// fingerprints back on the phone; an admin may not confirm, a coordinator may not register; changing keys or
/// the endpoint un-confirms.
/// </summary>
public sealed class TransferPartnerTests
{
    /// <summary>千代田区: a valid code with its check digit.</summary>
    private const string Partner = "131016";
    private const string Path = "api/admin/transfer-partners/" + Partner;

    private static JsonObject Registration(TestTransferKeys keys, string name = "千代田区 子ども家庭支援センター", string url = "https://chiyoda.example.jp/api/transfers/incoming") => new()
    {
        ["displayName"] = name,
        ["endpointUrl"] = url,
        ["encryptionKeyPem"] = keys.EncryptionPublicPem,
        ["verificationKeyPem"] = keys.SigningPublicPem,
    };

    private static JsonObject Confirmation(string encryption, string verification, long version) => new()
    {
        ["encryptionKeyFingerprint"] = encryption,
        ["verificationKeyFingerprint"] = verification,
        ["version"] = version,
    };

    private static async Task<JsonObject> StoredAsync(AdminApi api)
    {
        using var list = await api.GetAsync("api/admin/transfer-partners", Coordinator);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        return (JsonObject)(await CaseApi.BodyAsync(list))["partners"]!.AsArray().Single(partner => (string)partner!["municipalityCode"]! == Partner)!;
    }

    [Fact]
    public async Task AnAdminRegistersAndACoordinatorConfirmsWithTheFingerprintsReadOutInAnyForm()
    {
        await using var api = await AdminApi.StartAsync();
        using var keys = new TestTransferKeys();

        using var created = await api.SendAsync(HttpMethod.Put, Path, Admin, Registration(keys));
        var registered = await CaseApi.BodyAsync(created);
        using var confirmed = await api.PostAsync(Path + "/confirmation", Coordinator, Confirmation(TestTransferKeys.ReadOut(keys.EncryptionFingerprint), keys.SigningFingerprint.ToUpperInvariant(), 1));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal((keys.EncryptionFingerprint, keys.SigningFingerprint, false, 1L), ((string)registered["encryptionKeyFingerprint"]!, (string)registered["verificationKeyFingerprint"]!, (bool)registered["confirmed"]!, (long)registered["version"]!));
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        var stored = await StoredAsync(api);
        Assert.Equal((true, PersonId(Coordinator)), ((bool)stored["confirmed"]!, (string?)stored["confirmedBy"]));
        Assert.InRange(stored["confirmedAt"]!.GetValue<DateTimeOffset>(), registered["updatedAt"]!.GetValue<DateTimeOffset>().AddTicks(1), api.Clock.GetUtcNow());
        Assert.NotNull(await api.Host.Get<TransferPartnerStore>().ConfirmedAsync(Partner, CancellationToken.None));
        var coordinatorEntries = await api.AuditOutcomesAsync(PersonId(Coordinator));
        var confirm = Assert.Single(coordinatorEntries, entry => entry.Action == AuditActions.TransferPartnerConfirm);
        Assert.Equal(("Succeeded", Partner), (confirm.Outcome, confirm.Target?.MunicipalityCode));
        var save = Assert.Single(await api.AuditOutcomesAsync(PersonId(Admin)));
        Assert.Equal((AuditActions.TransferPartnerSave, "Succeeded", Partner), (save.Action, save.Outcome, save.Target?.MunicipalityCode));
    }

    [Fact]
    public async Task AFingerprintThatDoesNotMatchLeavesThePartnerUnconfirmed()
    {
        await using var api = await AdminApi.StartAsync();
        using var keys = new TestTransferKeys();
        using var other = new TestTransferKeys();
        using var created = await api.SendAsync(HttpMethod.Put, Path, Admin, Registration(keys));

        using var wrong = await api.PostAsync(Path + "/confirmation", Coordinator, Confirmation(keys.EncryptionFingerprint, other.SigningFingerprint, 1));

        await CaseApi.ValidationErrorsAsync(wrong, ("$.verificationKeyFingerprint", TransferPartnerService.FingerprintMismatch));
        Assert.False((bool)(await StoredAsync(api))["confirmed"]!);
        Assert.Null(await api.Host.Get<TransferPartnerStore>().ConfirmedAsync(Partner, CancellationToken.None));
    }

    [Fact]
    public async Task AnAdminMayNotConfirmAndACoordinatorMayNotRegister()
    {
        await using var api = await AdminApi.StartAsync();
        using var keys = new TestTransferKeys();
        using var byCoordinator = await api.SendAsync(HttpMethod.Put, Path, Coordinator, Registration(keys));
        using var created = await api.SendAsync(HttpMethod.Put, Path, Admin, Registration(keys));

        using var byAdmin = await api.PostAsync(Path + "/confirmation", Admin, Confirmation(keys.EncryptionFingerprint, keys.SigningFingerprint, 1));
        using var byTeacher = await api.GetAsync("api/admin/transfer-partners", Teacher);

        await AssertProblemAsync(byCoordinator, ProblemCatalogue.Forbidden, Path);
        await AssertProblemAsync(byAdmin, ProblemCatalogue.CoordinatorAct, Path + "/confirmation");
        await AssertProblemAsync(byTeacher, ProblemCatalogue.Forbidden, "api/admin/transfer-partners");
        Assert.False((bool)(await StoredAsync(api))["confirmed"]!);
        Assert.Equal(1, (int)(await StoredAsync(api))["version"]!);
    }

    [Fact]
    public async Task ChangingAKeyOrTheEndpointUnconfirmsButRenamingDoesNot()
    {
        await using var api = await AdminApi.StartAsync();
        using var keys = new TestTransferKeys();
        using var rotated = new TestTransferKeys();
        using var created = await api.SendAsync(HttpMethod.Put, Path, Admin, Registration(keys));
        using var confirmed = await api.PostAsync(Path + "/confirmation", Coordinator, Confirmation(keys.EncryptionFingerprint, keys.SigningFingerprint, 1));

        using var renamed = await api.SendAsync(HttpMethod.Put, Path, Admin, Registration(keys, name: "千代田区"));
        var afterRename = await StoredAsync(api);
        using var moved = await api.SendAsync(HttpMethod.Put, Path, Admin, Registration(keys, name: "千代田区", url: "https://chiyoda.example.jp/v2/api/transfers/incoming"));
        var afterMove = await StoredAsync(api);
        using var reconfirmed = await api.PostAsync(Path + "/confirmation", OtherCoordinator, Confirmation(keys.EncryptionFingerprint, keys.SigningFingerprint, 3));
        using var rekeyed = await api.SendAsync(HttpMethod.Put, Path, Admin, Rotated(Registration(keys, name: "千代田区", url: "https://chiyoda.example.jp/v2/api/transfers/incoming"), rotated));
        var afterRekey = await StoredAsync(api);
        using var stale = await api.PostAsync(Path + "/confirmation", Coordinator, Confirmation(keys.EncryptionFingerprint, rotated.SigningFingerprint, 3));

        Assert.Equal((true, 2L), ((bool)afterRename["confirmed"]!, (long)afterRename["version"]!));
        Assert.Equal((false, 3L), ((bool)afterMove["confirmed"]!, (long)afterMove["version"]!));
        Assert.Equal(HttpStatusCode.OK, reconfirmed.StatusCode);
        Assert.Equal((false, 4L, rotated.SigningFingerprint), ((bool)afterRekey["confirmed"]!, (long)afterRekey["version"]!, (string)afterRekey["verificationKeyFingerprint"]!));
        await AssertProblemAsync(stale, ProblemCatalogue.Conflict, Path + "/confirmation");
        Assert.Null(await api.Host.Get<TransferPartnerStore>().ConfirmedAsync(Partner, CancellationToken.None));
    }

    [Fact]
    public async Task AnUnusableRegistrationIsRefusedFieldByFieldAndNothingIsStored()
    {
        await using var api = await AdminApi.StartAsync();
        using var keys = new TestTransferKeys();
        using var shortKey = System.Security.Cryptography.RSA.Create(2048);
        var body = new JsonObject
        {
            ["displayName"] = " ",
            ["endpointUrl"] = "http://chiyoda.example.jp/api/transfers/incoming",
            ["encryptionKeyPem"] = System.Security.Cryptography.PemEncoding.WriteString("PUBLIC KEY", shortKey.ExportSubjectPublicKeyInfo()),
            ["verificationKeyPem"] = keys.SigningPrivatePem,
        };

        using var refused = await api.SendAsync(HttpMethod.Put, Path, Admin, body);
        using var badCode = await api.SendAsync(HttpMethod.Put, "api/admin/transfer-partners/131017", Admin, Registration(keys));

        await CaseApi.ValidationErrorsAsync(refused, ("$.displayName", "required"), ("$.endpointUrl", "invalid-value"), ("$.encryptionKeyPem", "invalid-value"), ("$.verificationKeyPem", "invalid-value"));
        await CaseApi.ValidationErrorsAsync(badCode, ("municipalityCode", "invalid-id"));
        using var list = await api.GetAsync("api/admin/transfer-partners", Admin);
        Assert.Empty((await CaseApi.BodyAsync(list))["partners"]!.AsArray());
        var table = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(TransferPartnerStore.TableName));
        Assert.Empty(await table.QueryAsync<TableEntity>().ToListAsync());
    }

    [Fact]
    public async Task PlainHttpIsAcceptedOnlyForThisMachineOnTheLocalEmulator()
    {
        await using var api = await AdminApi.StartAsync();
        using var keys = new TestTransferKeys();

        using var local = await api.SendAsync(HttpMethod.Put, Path, Admin, Registration(keys, url: "http://127.0.0.1:7072/api/transfers/incoming"));

        Assert.Equal(HttpStatusCode.Created, local.StatusCode);
        Assert.True(PartnerEndpoint.IsValid("https://chiyoda.example.jp/api/transfers/incoming", development: false));
        Assert.False(PartnerEndpoint.IsValid("http://127.0.0.1:7072/api/transfers/incoming", development: false));
        Assert.False(PartnerEndpoint.IsValid("http://chiyoda.example.jp/api/transfers/incoming", development: true));
        Assert.False(PartnerEndpoint.IsValid("https://user:pw@chiyoda.example.jp/api/transfers/incoming", development: true));
    }

    [Fact]
    public async Task OwnIdentityShowsTheCodeAndThePublicHalvesWithTheirFingerprints()
    {
        using var own = new TestTransferKeys();
        await using var api = await AdminApi.StartAsync(settings: new Dictionary<string, string>
        {
            ["Transfers:MunicipalityCode"] = "132012",
            ["Transfers:SigningKeyPem"] = own.SigningPrivatePem,
            ["Transfers:DecryptionKeyPem"] = own.EncryptionPrivatePem,
        });

        using var byCoordinator = await api.GetAsync("api/admin/transfer-identity", Coordinator);
        using var byAuditor = await api.GetAsync("api/admin/transfer-identity", Auditor);

        var identity = await CaseApi.BodyAsync(byCoordinator);
        Assert.Equal(("132012", own.EncryptionFingerprint, own.SigningFingerprint), ((string)identity["municipalityCode"]!, (string)identity["encryptionKeyFingerprint"]!, (string)identity["verificationKeyFingerprint"]!));
        Assert.Equal(own.EncryptionPublicPem.Trim(), ((string)identity["encryptionKeyPem"]!).Trim());
        Assert.DoesNotContain("PRIVATE", identity.ToJsonString(), StringComparison.Ordinal);
        await AssertProblemAsync(byAuditor, ProblemCatalogue.Forbidden, "api/admin/transfer-identity");
    }

    [Theory]
    [InlineData("131016", true)]
    [InlineData("130001", true)]
    [InlineData("131017", false)]
    [InlineData("13101", false)]
    [InlineData("１３１０１６", false)]
    public void MunicipalityCodesCarryTheirCheckDigit(string code, bool valid) => Assert.Equal(valid, MunicipalityCode.IsValid(code));

    /// <summary>The registration with a new verification key: one key rotated.</summary>
    private static JsonObject Rotated(JsonObject registration, TestTransferKeys rotated)
    {
        registration["verificationKeyPem"] = rotated.SigningPublicPem;
        return registration;
    }
}

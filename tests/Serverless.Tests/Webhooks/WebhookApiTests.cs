using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Notifications.Webhooks;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Webhooks;

/// <summary>Registering, listing, deleting and rotating an agency's webhooks through the admin API.</summary>
public sealed class WebhookApiTests
{
    private const string Path = "api/admin/agencies/" + WebhookWorld.Agency + "/webhooks";

    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task ANewGenericWebhookAnswersItsUrlMaskedAndItsSecretOnceAndStoresNeitherInTheClear()
    {
        await using var world = await WebhookWorld.StartAsync();
        var url = world.Receiver.Url("/workflows/abc?api-version=1&sig=TeamsSignature123");

        var created = await world.RegisterAsync("relay", "generic", url);

        var secret = (string)created["secret"]!;
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        Assert.Equal($"https://{WebhookReceiver.HostName}:{world.Receiver.Port}/…", (string)created["webhook"]!["url"]!);
        Assert.Equal(("relay", WebhookWorld.Agency, "generic"), ((string)created["webhook"]!["name"]!, (string)created["webhook"]!["agencyId"]!, (string)created["webhook"]!["format"]!));
        var row = await RowAsync(world, "relay");
        Assert.DoesNotContain("TeamsSignature123", row, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[6..], row, StringComparison.Ordinal);
        Assert.DoesNotContain("/workflows/", row, StringComparison.Ordinal);

        using var list = await world.SendAsync(HttpMethod.Get, Path);
        var listed = await list.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.DoesNotContain("TeamsSignature123", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[6..], listed, StringComparison.Ordinal);
        Assert.DoesNotContain("secret\"", listed, StringComparison.Ordinal);

        // Replacing it keeps the secret, and does not show it again.
        using var replaced = await world.SendAsync(HttpMethod.Put, Path + "/relay", new JsonObject { ["url"] = world.Receiver.Url("/other"), ["format"] = "generic" });
        var replacedBody = await CaseApi.BodyAsync(replaced);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Null(replacedBody["secret"]);
        await world.DispatchAndDeliverAsync(new WebhookEvent("evt-kept", "entry.added", false, world.Clock.GetUtcNow()));
        var delivered = Assert.Single(world.Receiver.Requests);
        Assert.Equal("/other", delivered.PathAndQuery);
        WebhookSigningTests.Verify(secret, delivered.Headers, delivered.Body);
    }

    [Fact]
    public async Task ChatWebhooksHaveNoSecretAndTheirSecretCannotBeRotated()
    {
        await using var world = await WebhookWorld.StartAsync();

        var created = await world.RegisterAsync("teams-room", "teams");
        using var rotate = await world.SendAsync(HttpMethod.Post, Path + "/teams-room/rotate-secret");

        Assert.Null(created["secret"]);
        await CaseApi.ValidationErrorsAsync(rotate, ("$.format", "not-for-format"));
    }

    [Theory]
    [InlineData("http://hooks.example.jp/x", "https-required")]
    [InlineData("ftp://hooks.example.jp/x", "https-required")]
    [InlineData("hooks.example.jp/x", "invalid-value")]
    [InlineData("https://user:pass@hooks.example.jp/x", "invalid-value")]
    [InlineData("https://127.0.0.1/x", "host-not-public")]
    [InlineData("https://10.0.0.5/x", "host-not-public")]
    [InlineData("https://169.254.169.254/latest/meta-data", "host-not-public")]
    [InlineData("https://[::1]/x", "host-not-public")]
    [InlineData("https://[::ffff:192.168.0.1]/x", "host-not-public")]
    [InlineData("https://[fd00::1]/x", "host-not-public")]
    [InlineData("https://localhost/x", "host-not-public")]
    [InlineData("https://inside.example.jp/x", "host-not-public")]
    [InlineData("https://mixed.example.jp/x", "host-not-public")]
    [InlineData("https://nowhere.example.jp/x", "host-unresolvable")]
    public async Task RegistrationRefusesAUrlThatIsNotHttpsOrWhoseHostIsNotPublic(string url, string code)
    {
        await using var world = await WebhookWorld.StartAsync(productionPolicy: true);
        world.Resolver.Set("localhost", "127.0.0.1", "::1");
        world.Resolver.Set("inside.example.jp", "192.168.10.20");
        world.Resolver.Set("mixed.example.jp", "20.43.64.1", "10.1.2.3");

        using var response = await world.SendAsync(HttpMethod.Put, Path + "/relay", new JsonObject { ["url"] = url, ["format"] = "generic" });

        await CaseApi.ValidationErrorsAsync(response, ("$.url", code));
        Assert.DoesNotContain(url, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await world.Host.Get<WebhookStore>().ListAsync(WebhookWorld.Agency, CancellationToken.None));
    }

    [Fact]
    public async Task ABadNameAMissingFieldOrAnUnknownFormatIsRefused()
    {
        await using var world = await WebhookWorld.StartAsync();

        using var badName = await world.SendAsync(HttpMethod.Put, Path + "/Teams_Room", new JsonObject { ["url"] = world.Receiver.Url("/x"), ["format"] = "teams" });
        using var missing = await world.SendAsync(HttpMethod.Put, Path + "/relay", new JsonObject());
        using var unknownFormat = await world.SendAsync(HttpMethod.Put, Path + "/relay", new JsonObject { ["url"] = world.Receiver.Url("/x"), ["format"] = "line-works" });

        await CaseApi.ValidationErrorsAsync(badName, ("$.name", "invalid-id"));
        await CaseApi.ValidationErrorsAsync(missing, ("$.url", "required"), ("$.format", "required"));
        await CaseApi.ProblemAsync(unknownFormat, ProblemCatalogue.InvalidJson);
    }

    [Fact]
    public async Task AnUnknownAgencyOrWebhookIsNotFound()
    {
        await using var world = await WebhookWorld.StartAsync();

        using var put = await world.SendAsync(HttpMethod.Put, "api/admin/agencies/no-such-agency/webhooks/relay", new JsonObject { ["url"] = world.Receiver.Url("/x"), ["format"] = "slack" });
        using var list = await world.SendAsync(HttpMethod.Get, "api/admin/agencies/no-such-agency/webhooks");
        using var delete = await world.SendAsync(HttpMethod.Delete, Path + "/relay");
        using var rotate = await world.SendAsync(HttpMethod.Post, Path + "/relay/rotate-secret");

        foreach (var response in new[] { put, list, delete, rotate })
        {
            await CaseApi.ProblemAsync(response, ProblemCatalogue.NotFound);
        }
    }

    [Fact]
    public async Task AnAgencyHasAtMostTenWebhooks()
    {
        await using var world = await WebhookWorld.StartAsync();
        for (var i = 0; i < WebhookLimits.MaxPerAgency; i++)
        {
            await world.RegisterAsync("room-" + i, "slack");
        }

        using var eleventh = await world.SendAsync(HttpMethod.Put, Path + "/room-10", new JsonObject { ["url"] = world.Receiver.Url("/x"), ["format"] = "slack" });

        await CaseApi.ValidationErrorsAsync(eleventh, ("$.name", "too-many"));
    }

    [Fact]
    public async Task ListShowsEachWebhookMaskedWithItsRecentAttemptsAndNeverABody()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("relay", "generic");
        world.Receiver.Answer = _ => (500, null);
        await world.DispatchAndDeliverAsync(new WebhookEvent("evt-list", "entry.added", false, world.Clock.GetUtcNow()));

        using var list = await world.SendAsync(HttpMethod.Get, Path);

        var webhook = (await CaseApi.BodyAsync(list))["webhooks"]![0]!.AsObject();
        var now = world.Clock.GetUtcNow();
        var attempt = webhook["recentAttempts"]![0]!.AsObject();
        Assert.Equal(
            new JsonObject { ["attempt"] = 1, ["at"] = now, ["outcome"] = "http-error", ["status"] = 500, ["nextAttemptAt"] = now + TimeSpan.FromMinutes(1) }.ToJsonString(Relaxed),
            attempt.ToJsonString(Relaxed));
        Assert.Equal(
            ["agencyId", "name", "format", "url", "createdAt", "createdBy", "updatedAt", "updatedBy", "recentAttempts"],
            webhook.Select(property => property.Key));
    }

    /// <summary>Off until a key is configured: registration says so, and the dispatcher queues nothing.</summary>
    [Fact]
    public async Task WithoutAnEncryptionKeyWebhooksAreOff()
    {
        await using var host = await TestHost.StartAsync(settings: new Dictionary<string, string> { ["Webhooks:EncryptionKey"] = "" });
        using var request = new HttpRequestMessage(HttpMethod.Put, Path + "/relay") { Content = CaseApi.Json(new JsonObject { ["url"] = "https://hooks.example.jp/x", ["format"] = "generic" }) };
        host.SignIn(request, WebhookWorld.Admin);

        using var response = await host.Client.SendAsync(request);
        await host.Get<WebhookDispatcher>().EnqueueAsync(WebhookWorld.Agency, new WebhookEvent("evt-off", "entry.added", false, DateTimeOffset.UtcNow), CancellationToken.None);

        await CaseApi.ValidationErrorsAsync(response, ("$", "not-configured"));
    }

    [Theory]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64 at all")]
    public async Task AnEncryptionKeyThatIsNotThirtyTwoBytesStopsTheAppAtStart(string key)
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestHost.StartAsync(settings: new Dictionary<string, string> { ["Webhooks:EncryptionKey"] = key }));
        Assert.Contains("Webhooks:EncryptionKey must be base64 of exactly 32 random bytes", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://inbox.example.jp/")]
    [InlineData("https://inbox.example.jp/a b")]
    [InlineData("https://inbox.example.jp/<x>")]
    public async Task AnInboxUrlThatIsNotHttpsStopsTheAppAtStart(string inboxUrl)
    {
        var failure = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestHost.StartAsync(settings: new Dictionary<string, string> { ["Webhooks:InboxUrl"] = inboxUrl }));
        Assert.Contains("Webhooks:InboxUrl must be an absolute https URL", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>What each endpoint costs, beyond sign-in and the audit: the agency's row, then the webhook's.</summary>
    [Fact]
    public async Task EachEndpointMakesExactlyTheseStorageCalls()
    {
        await using var world = await WebhookWorld.StartAsync();
        var p = world.Host.Prefix;
        var body = new JsonObject { ["url"] = world.Receiver.Url("/x"), ["format"] = "generic" };

        var created = await MeasureAsync(world, "SaveWebhook", HttpMethod.Put, Path + "/relay", body, HttpStatusCode.Created);
        var replaced = await MeasureAsync(world, "SaveWebhook", HttpMethod.Put, Path + "/relay", body, HttpStatusCode.OK);
        var listed = await MeasureAsync(world, "ListWebhooks", HttpMethod.Get, Path, null, HttpStatusCode.OK);
        var rotated = await MeasureAsync(world, "RotateWebhookSecret", HttpMethod.Post, Path + "/relay/rotate-secret", null, HttpStatusCode.OK);
        var deleted = await MeasureAsync(world, "DeleteWebhook", HttpMethod.Delete, Path + "/relay", null, HttpStatusCode.OK);

        Dictionary<string, long> SignedInAndAudited(Dictionary<string, long> operations)
            => new(operations) { [$"table GET {p}People()"] = 1, [$"table POST {p}AuditLog"] = 2 };
        Assert.Equal(SignedInAndAudited(new() { [$"table GET {p}Agencies(key)"] = 1, [$"table GET {p}Webhooks(key)"] = 1, [$"table GET {p}Webhooks()"] = 1, [$"table POST {p}Webhooks"] = 1 }), created);
        Assert.Equal(SignedInAndAudited(new() { [$"table GET {p}Agencies(key)"] = 1, [$"table GET {p}Webhooks(key)"] = 1, [$"table PUT {p}Webhooks(key)"] = 1 }), replaced);
        Assert.Equal(SignedInAndAudited(new() { [$"table GET {p}Agencies(key)"] = 1, [$"table GET {p}Webhooks()"] = 1 }), listed);
        Assert.Equal(SignedInAndAudited(new() { [$"table GET {p}Webhooks(key)"] = 1, [$"table PUT {p}Webhooks(key)"] = 1 }), rotated);
        Assert.Equal(SignedInAndAudited(new() { [$"table GET {p}Webhooks(key)"] = 1, [$"table DELETE {p}Webhooks(key)"] = 1 }), deleted);
    }

    private static async Task<IReadOnlyDictionary<string, long>> MeasureAsync(WebhookWorld world, string function, HttpMethod method, string path, JsonNode? body, HttpStatusCode expected)
    {
        var before = world.Host.Counter.For(function);
        using var response = await world.SendAsync(method, path, body?.DeepClone());
        Assert.True(response.StatusCode == expected, await response.Content.ReadAsStringAsync());
        return StorageOperationCounter.Difference(before, world.Host.Counter.For(function));
    }

    private static async Task<string> RowAsync(WebhookWorld world, string name)
    {
        var table = world.Host.Storage.Tables.GetTableClient(world.Host.Names.Table(WebhookStore.TableName));
        var row = (await table.GetEntityAsync<TableEntity>(WebhookWorld.Agency, name)).Value;
        return string.Join("\n", row.Select(property => $"{property.Key}={property.Value}"));
    }
}

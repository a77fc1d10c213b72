using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Serverless.DeadLetters;
using Serverless.Notifications.Webhooks;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Webhooks;

/// <summary>
/// Deliveries to a real HTTPS receiver on 127.0.0.1: what each format carries, the signature a receiver checks with
/// the StandardWebhooks package, the webhook-id that lets it drop duplicates, back-off through the queue, redirects
/// never followed, 410 Gone, deleted webhooks, and hosts that point inside at send time.
/// </summary>
public sealed class WebhookDeliveryTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task TheGenericPayloadCarriesIdsOnlyAndVerifiesWithTheStandardWebhooksPackageAndTheSecretShownOnce()
    {
        await using var world = await WebhookWorld.StartAsync();
        var secret = (string)(await world.RegisterAsync("relay", "generic"))["secret"]!;
        var at = new DateTimeOffset(2025, 6, 15, 15, 30, 0, 123, TimeSpan.Zero);

        await world.DispatchAndDeliverAsync(new WebhookEvent("evt-0001", "referral.overdue", Urgent: true, at));

        var request = Assert.Single(world.Receiver.Requests);
        Assert.Equal(("POST", "/hooks/relay?sig=s3cr3t-relay"), (request.Method, request.PathAndQuery));
        Assert.Equal(
            """{"type":"referral.overdue","urgent":true,"eventId":"evt-0001","agencyId":"minami-shogakko","occurredAt":"2025-06-15T15:30:00.123Z","inboxUrl":"https://inbox.example.jp/notifications"}""",
            request.Body);
        Assert.StartsWith("application/json", request.Headers.ContentType.ToString(), StringComparison.Ordinal);
        WebhookSigningTests.Verify(secret, request.Headers, request.Body);
        Assert.Equal(WebhookSigning.MessageId(WebhookWorld.Agency, "relay", "evt-0001"), request.Headers["webhook-id"].ToString());
        Assert.Equal(world.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["webhook-timestamp"].ToString());
        Assert.Single(request.Headers["webhook-signature"].ToString().Split(' '));
    }

    [Fact]
    public async Task DuringARotationOverlapEachMessageVerifiesWithTheOldAndTheNewSecretAndAfterItWithTheNewOnly()
    {
        await using var world = await WebhookWorld.StartAsync();
        var old = (string)(await world.RegisterAsync("relay", "generic"))["secret"]!;
        using var rotated = await world.SendAsync(HttpMethod.Post, $"api/admin/agencies/{WebhookWorld.Agency}/webhooks/relay/rotate-secret");
        var answer = await Serverless.Tests.Cases.Api.CaseApi.BodyAsync(rotated);
        Assert.Equal(System.Net.HttpStatusCode.OK, rotated.StatusCode);
        var fresh = (string)answer["secret"]!;
        Assert.NotEqual(old, fresh);
        Assert.Equal(world.Clock.GetUtcNow() + TimeSpan.FromHours(24), DateTimeOffset.Parse((string)answer["webhook"]!["previousSecretValidUntil"]!, System.Globalization.CultureInfo.InvariantCulture));

        await world.DispatchAndDeliverAsync(new WebhookEvent("evt-during", "entry.added", false, world.Clock.GetUtcNow()));
        var during = Assert.Single(world.Receiver.Requests);
        WebhookSigningTests.Verify(fresh, during.Headers, during.Body);
        WebhookSigningTests.Verify(old, during.Headers, during.Body);

        // A day later the overlap is over. The package would refuse this message's timestamp (a day ahead of the
        // real clock it checks against), so its one signature is compared directly.
        world.Clock.Advance(TimeSpan.FromHours(24));
        await world.DispatchAndDeliverAsync(new WebhookEvent("evt-after", "entry.added", false, world.Clock.GetUtcNow()));
        var after = world.Receiver.Requests[1];
        var signatures = after.Headers["webhook-signature"].ToString().Split(' ');
        var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(after.Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([WebhookSigning.Sign(fresh, after.Headers["webhook-id"].ToString(), at, after.Body)], signatures);
    }

    [Fact]
    public async Task TeamsAndSlackBodiesAreExactlyTheFixedSentenceAndALinkToTheInbox()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("teams-room", "teams");
        await world.RegisterAsync("slack-room", "slack");

        await world.DispatchAndDeliverAsync(new WebhookEvent("evt-plain", "entry.added", false, world.Clock.GetUtcNow()));
        await world.DispatchAndDeliverAsync(new WebhookEvent("evt-urgent", "referral.overdue", true, world.Clock.GetUtcNow()));

        string Body(string name, int nth) => world.Receiver.Requests.Where(request => request.PathAndQuery.StartsWith("/hooks/" + name, StringComparison.Ordinal)).ElementAt(nth).Body;
        Assert.Equal(Teams("新しいお知らせがあります", "Default"), Body("teams-room", 0));
        Assert.Equal(Teams("至急：新しいお知らせがあります", "Attention"), Body("teams-room", 1));
        Assert.Equal("""{"text":"新しいお知らせがあります <https://inbox.example.jp/notifications|受信箱を開く>"}""", Body("slack-room", 0));
        Assert.Equal("""{"text":"至急：新しいお知らせがあります <https://inbox.example.jp/notifications|受信箱を開く>"}""", Body("slack-room", 1));
        Assert.All(world.Receiver.Requests, request => Assert.False(request.Headers.ContainsKey("webhook-signature")));

        static string Teams(string text, string color)
            => $$$"""{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"{{{text}}}","weight":"Bolder","color":"{{{color}}}","wrap":true}],"actions":[{"type":"Action.OpenUrl","title":"受信箱を開く","url":"https://inbox.example.jp/notifications"}]}}]}""";
    }

    [Fact]
    public async Task TheSameEventDeliveredTwiceCarriesTheSameWebhookIdAndAnotherWebhookGetsItsOwn()
    {
        await using var world = await WebhookWorld.StartAsync();
        var secret = (string)(await world.RegisterAsync("relay", "generic"))["secret"]!;
        var other = (string)(await world.RegisterAsync("relay-2", "generic"))["secret"]!;
        await world.Host.Get<WebhookDispatcher>().EnqueueAsync(WebhookWorld.Agency, new WebhookEvent("evt-twice", "entry.added", false, world.Clock.GetUtcNow()), None);
        var messages = await world.TakeMessagesAsync();
        Assert.Equal(2, messages.Count);

        // At least once: the queue may hand the same message over again.
        foreach (var message in messages.Concat(messages))
        {
            await world.Host.Get<WebhookDelivery>().HandleAsync(message, None);
        }

        var first = world.Receiver.Requests.Where(request => request.PathAndQuery.StartsWith("/hooks/relay?", StringComparison.Ordinal)).ToList();
        var second = world.Receiver.Requests.Where(request => request.PathAndQuery.StartsWith("/hooks/relay-2?", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, first.Count);
        Assert.Equal(first[0].Headers["webhook-id"].ToString(), first[1].Headers["webhook-id"].ToString());
        Assert.NotEqual(first[0].Headers["webhook-id"].ToString(), second[0].Headers["webhook-id"].ToString());
        WebhookSigningTests.Verify(secret, first[1].Headers, first[1].Body);
        WebhookSigningTests.Verify(other, second[0].Headers, second[0].Body);
    }

    [Fact]
    public async Task TheDispatcherQueuesOneMessagePerEnabledWebhookOfTheAgencyCarryingIdsOnly()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("relay", "generic");
        await world.RegisterAsync("teams-room", "teams");
        await world.RegisterAsync("nursery", "slack", agencyId: "hikari-hoikuen");
        var at = new DateTimeOffset(2025, 6, 15, 15, 30, 0, TimeSpan.Zero);

        await world.Host.Get<WebhookDispatcher>().EnqueueAsync(WebhookWorld.Agency, new WebhookEvent("evt-ids", "entry.added", false, at), None);

        Assert.Equal(
            [WebhookWorld.Message("evt-ids", "relay", 1), WebhookWorld.Message("evt-ids", "teams-room", 1)],
            (await world.TakeMessagesAsync()).Order(StringComparer.Ordinal));
        await Assert.ThrowsAsync<ArgumentException>(() => world.Host.Get<WebhookDispatcher>().EnqueueAsync(WebhookWorld.Agency, new WebhookEvent("c01j2x", "鳥居 ひかり", false, at), None));
        await Assert.ThrowsAsync<ArgumentException>(() => world.Host.Get<WebhookDispatcher>().EnqueueAsync(WebhookWorld.Agency, new WebhookEvent("id with spaces", "entry.added", false, at), None));
    }

    /// <summary>A 500 is retried after 1 minute, 5 minutes, 30 minutes, 2 hours and 6 hours: each failed attempt queues
    /// the next hidden that long (and records when it is due); the sixth failure throws, for the host's poison path.</summary>
    [Fact]
    public async Task AServerErrorIsRetriedWithTheBackOffDelaysAndTheLastAttemptThrows()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("relay", "generic");
        world.Receiver.Answer = _ => (500, null);
        var delivery = world.Host.Get<WebhookDelivery>();
        TimeSpan[] expected = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6)];

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var now = world.Clock.GetUtcNow();
            await delivery.HandleAsync(WebhookWorld.Message("evt-retry", "relay", attempt), None);

            Assert.Equal(attempt, await world.QueuedCountAsync()); // each attempt queued one more, hidden
            Assert.Empty((await world.Queue.PeekMessagesAsync(32)).Value);
            var recorded = WebhookStore.Attempts((await world.Host.Get<WebhookStore>().FindAsync(WebhookWorld.Agency, "relay", None))!)[0];
            Assert.Equal(new WebhookAttempt("evt-retry", attempt, now, WebhookOutcome.HttpError, 500, now + expected[attempt - 1]), recorded);
            world.Clock.Advance(expected[attempt - 1]);
        }

        var last = await Assert.ThrowsAsync<WebhookDeliveryFailedException>(() => delivery.HandleAsync(WebhookWorld.Message("evt-retry", "relay", 6), None));
        Assert.DoesNotContain("receiver.test", last.Message, StringComparison.Ordinal);
        Assert.Equal(5, await world.QueuedCountAsync()); // nothing more queued after the last attempt
        Assert.Equal(6, world.Receiver.Requests.Count);
        Assert.Equal(expected, WebhookBackoff.Delays);
        Assert.Equal(6, WebhookBackoff.MaxAttempts);
    }

    /// <summary>The last attempt's failure takes the path of every failing message: the host retries it, moves it to the
    /// poison queue, and the dead-letter sweep records it for ops to replay.</summary>
    [Fact]
    public async Task TheLastFailedAttemptEndsInTheDeadLetterTableThroughThePoisonQueue()
    {
        await using var world = await WebhookWorld.StartAsync(backgroundTriggers: true, hostSettings: settings =>
        {
            settings.VisibilityTimeout = TimeSpan.Zero;
            settings.MaxDequeueCount = 2;
            settings.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
        });
        await world.RegisterAsync("relay", "generic");
        world.Receiver.Answer = _ => (503, null);
        var text = WebhookWorld.Message("evt-dead", "relay", 6);
        await new QueueClient(TestStorage.ConnectionString, world.Host.Names.Queue(WebhookDispatcher.Queue), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).SendMessageAsync(text);
        var poison = new QueueClient(TestStorage.ConnectionString, world.Host.Names.PoisonQueue(WebhookDispatcher.Queue));

        await TestHost.WaitUntilAsync(async () => (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount == 1, TimeSpan.FromSeconds(30), "the message reaches the poison queue");
        await world.Host.Get<DeadLetterService>().SweepAsync(None);

        var letter = Assert.Single(await world.Host.Get<DeadLetterService>().ListAsync(WebhookDispatcher.Queue, None));
        Assert.Equal(text, letter.MessageText);
        Assert.Equal(2, world.Receiver.Requests.Count); // one send per try of the host, no more
    }

    [Fact]
    public async Task ARedirectIsNotFollowedAndCountsAsAFailedAttempt()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("relay", "generic");
        world.Receiver.Answer = request => request.PathAndQuery.StartsWith("/hooks/", StringComparison.Ordinal) ? (307, world.Receiver.Url("/elsewhere")) : (200, null);

        await world.Host.Get<WebhookDelivery>().HandleAsync(WebhookWorld.Message("evt-redirect", "relay", 1), None);

        Assert.Equal(["/hooks/relay?sig=s3cr3t-relay"], world.Receiver.Requests.Select(request => request.PathAndQuery));
        var recorded = WebhookStore.Attempts((await world.Host.Get<WebhookStore>().FindAsync(WebhookWorld.Agency, "relay", None))!)[0];
        Assert.Equal((WebhookOutcome.HttpError, (int?)307), (recorded.Outcome, recorded.Status));
        Assert.Equal(1, await world.QueuedCountAsync());
    }

    /// <summary>A receiver that does not answer within 10 seconds is a timeout, retried like any failure.</summary>
    [Fact]
    public async Task AReceiverThatTakesLongerThanTenSecondsIsATimeoutAndIsRetried()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("relay", "generic");
        world.Receiver.Delay = TimeSpan.FromSeconds(30);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await world.Host.Get<WebhookDelivery>().HandleAsync(WebhookWorld.Message("evt-slow", "relay", 1), None);

        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(20));
        var recorded = WebhookStore.Attempts((await world.Host.Get<WebhookStore>().FindAsync(WebhookWorld.Agency, "relay", None))!)[0];
        Assert.Equal((WebhookOutcome.Timeout, (int?)null), (recorded.Outcome, recorded.Status));
        Assert.Equal(1, await world.QueuedCountAsync());
        Assert.Equal(TimeSpan.FromSeconds(10), WebhookTransport.RequestTimeout);
    }

    /// <summary>DNS rebinding: the name resolved to a public address when the admin registered it, and resolves to this
    /// machine when the message is sent. The production policy refuses the connection: nothing is sent, and the
    /// attempt is retried later (the name may point outside again).</summary>
    [Fact]
    public async Task AHostThatResolvedPublicAtRegistrationAndPointsInsideAtSendIsRefusedAndNothingIsSent()
    {
        await using var world = await WebhookWorld.StartAsync(productionPolicy: true);
        world.Resolver.Set(WebhookReceiver.HostName, "20.43.64.1");
        await world.RegisterAsync("relay", "generic");
        world.Resolver.Set(WebhookReceiver.HostName, "127.0.0.1");

        await world.Host.Get<WebhookDelivery>().HandleAsync(WebhookWorld.Message("evt-rebind", "relay", 1), None);

        Assert.Empty(world.Receiver.Requests);
        var recorded = WebhookStore.Attempts((await world.Host.Get<WebhookStore>().FindAsync(WebhookWorld.Agency, "relay", None))!)[0];
        Assert.Equal((WebhookOutcome.AddressRefused, (int?)null), (recorded.Outcome, recorded.Status));
        Assert.Equal(1, await world.QueuedCountAsync());
    }

    /// <summary>410 Gone: the receiver says the webhook is no more. It is disabled (no retry, later events skip it)
    /// until an admin registers it again.</summary>
    [Fact]
    public async Task GoneDisablesTheWebhookUntilAnAdminRegistersItAgain()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("teams-room", "teams");
        world.Receiver.Answer = _ => (410, null);

        await world.Host.Get<WebhookDelivery>().HandleAsync(WebhookWorld.Message("evt-gone", "teams-room", 1), None);
        await world.Host.Get<WebhookDispatcher>().EnqueueAsync(WebhookWorld.Agency, new WebhookEvent("evt-later", "entry.added", false, world.Clock.GetUtcNow()), None);

        Assert.Equal(0, await world.QueuedCountAsync());
        using var list = await world.SendAsync(HttpMethod.Get, $"api/admin/agencies/{WebhookWorld.Agency}/webhooks");
        var webhook = (await Serverless.Tests.Cases.Api.CaseApi.BodyAsync(list))["webhooks"]![0]!;
        Assert.NotNull(webhook["disabledAt"]);
        Assert.Equal("gone", (string)webhook["recentAttempts"]![0]!["outcome"]!);

        using var again = await world.SendAsync(HttpMethod.Put, $"api/admin/agencies/{WebhookWorld.Agency}/webhooks/teams-room", new JsonObject { ["url"] = world.Receiver.Url("/hooks/teams-room-2"), ["format"] = "teams" });
        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
        await world.Host.Get<WebhookDispatcher>().EnqueueAsync(WebhookWorld.Agency, new WebhookEvent("evt-again", "entry.added", false, world.Clock.GetUtcNow()), None);
        Assert.Equal(1, await world.QueuedCountAsync());
    }

    [Fact]
    public async Task ADeliveryForAWebhookDeletedMeanwhileIsDropped()
    {
        await using var world = await WebhookWorld.StartAsync();
        await world.RegisterAsync("relay", "generic");
        await world.Host.Get<WebhookDispatcher>().EnqueueAsync(WebhookWorld.Agency, new WebhookEvent("evt-deleted", "entry.added", false, world.Clock.GetUtcNow()), None);
        using var deleted = await world.SendAsync(HttpMethod.Delete, $"api/admin/agencies/{WebhookWorld.Agency}/webhooks/relay");
        Assert.Equal(System.Net.HttpStatusCode.OK, deleted.StatusCode);

        foreach (var message in await world.TakeMessagesAsync())
        {
            await world.Host.Get<WebhookDelivery>().HandleAsync(message, None);
        }

        Assert.Empty(world.Receiver.Requests);
        Assert.Equal(0, await world.QueuedCountAsync());
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Serverless.Notifications.Webhooks;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Webhooks;

/// <summary>The production policy, and loopback besides: only the test host uses it, to reach its receiver.</summary>
internal sealed class LoopbackToo : IWebhookAddressPolicy
{
    private readonly PublicAddressPolicy production = new();

    public bool Allows(IPAddress address) => IPAddress.IsLoopback(address) || production.Allows(address);
}

/// <summary>A resolver the test sets name by name; a name it was not told fails as DNS would.</summary>
internal sealed class FakeResolver : IWebhookHostResolver
{
    private readonly ConcurrentDictionary<string, IPAddress[]> names = new(StringComparer.OrdinalIgnoreCase);

    public int Lookups { get; private set; }

    public void Set(string host, params string[] addresses) => names[host] = [.. addresses.Select(IPAddress.Parse)];

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups++;
        return names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound);
    }
}

/// <summary>
/// A test host with webhooks on, a receiver on 127.0.0.1 over HTTPS, a fake resolver (<see cref="WebhookReceiver.HostName"/>
/// is 127.0.0.1 unless a test says otherwise) and trust of the receiver's test certificate. The address policy lets
/// loopback through (<see cref="LoopbackToo"/>) unless the test asks for the production one. The clock is a fake one
/// standing at the real time (receivers check webhook-timestamp against their own clock).
/// </summary>
internal sealed class WebhookWorld : IAsyncDisposable
{
    public const string Agency = "minami-shogakko";
    public const string Admin = "admin-kobayashi";

    private WebhookWorld(TestHost host, WebhookReceiver receiver, FakeResolver resolver, FakeTimeProvider clock)
    {
        Host = host;
        Receiver = receiver;
        Resolver = resolver;
        Clock = clock;
    }

    public TestHost Host { get; }

    public WebhookReceiver Receiver { get; }

    public FakeResolver Resolver { get; }

    public FakeTimeProvider Clock { get; }

    public string InboxUrl => "https://inbox.example.jp/notifications";

    public QueueClient Queue => new(TestStorage.ConnectionString, Host.Names.Queue(WebhookDispatcher.Queue));

    public static async Task<WebhookWorld> StartAsync(bool productionPolicy = false, bool backgroundTriggers = false, Action<Serverless.DevHost.HostSettings>? hostSettings = null)
    {
        var receiver = await WebhookReceiver.StartAsync();
        var resolver = new FakeResolver();
        resolver.Set(WebhookReceiver.HostName, "127.0.0.1");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var thumbprint = receiver.Certificate.GetCertHashString();
        var host = await TestHost.StartAsync(
            backgroundTriggers: backgroundTriggers,
            clock: clock,
            hostSettings: hostSettings,
            settings: new Dictionary<string, string> { ["Webhooks:InboxUrl"] = "https://inbox.example.jp/notifications" },
            services: services =>
            {
                services.Replace(ServiceDescriptor.Singleton<IWebhookHostResolver>(resolver));
                if (!productionPolicy)
                {
                    services.Replace(ServiceDescriptor.Singleton<IWebhookAddressPolicy>(new LoopbackToo()));
                }

                // Trust the receiver's self-signed certificate, and nothing else: the name must still match.
                services.Replace(ServiceDescriptor.Singleton(new WebhookTlsSettings
                {
                    CertificateValidation = (_, certificate, _, errors) =>
                        (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None && certificate?.GetCertHashString() == thumbprint,
                }));
            });
        return new WebhookWorld(host, receiver, resolver, clock);
    }

    /// <summary>Sends an admin API request as <paramref name="subject"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body = null, string subject = Admin)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : CaseApi.Json(body) };
        Host.SignIn(request, subject);
        return await Host.Client.SendAsync(request);
    }

    /// <summary>Registers a webhook (must succeed with 201); the answer's JSON (with the secret, for generic).</summary>
    public async Task<JsonObject> RegisterAsync(string name, string format, string? url = null, string agencyId = Agency)
    {
        using var response = await SendAsync(HttpMethod.Put, $"api/admin/agencies/{agencyId}/webhooks/{name}", new JsonObject { ["url"] = url ?? Receiver.Url("/hooks/" + name + "?sig=s3cr3t-" + name), ["format"] = format });
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return body;
    }

    /// <summary>The dispatcher's messages now on the queue, decoded, removed from it.</summary>
    public async Task<IReadOnlyList<string>> TakeMessagesAsync()
    {
        var raw = new QueueClient(TestStorage.ConnectionString, Host.Names.Queue(WebhookDispatcher.Queue), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var texts = new List<string>();
        while (true)
        {
            var received = (await raw.ReceiveMessagesAsync(32)).Value;
            if (received.Length == 0)
            {
                return texts;
            }

            foreach (var message in received)
            {
                texts.Add(message.Body.ToString());
                await raw.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    /// <summary>Dispatches an event to the agency and delivers every message it queued, once each.</summary>
    public async Task<IReadOnlyList<string>> DispatchAndDeliverAsync(WebhookEvent webhookEvent, string agencyId = Agency)
    {
        await Host.Get<WebhookDispatcher>().EnqueueAsync(agencyId, webhookEvent, CancellationToken.None);
        var messages = await TakeMessagesAsync();
        foreach (var message in messages)
        {
            await Host.Get<WebhookDelivery>().HandleAsync(message, CancellationToken.None);
        }

        return messages;
    }

    /// <summary>How many messages wait on the delivery queue, hidden ones included.</summary>
    public async Task<int> QueuedCountAsync() => (await Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;

    public static string Message(string eventId, string name, int attempt, bool urgent = false, string kind = "entry.added", string agencyId = Agency, string occurredAt = "2025-06-15T15:30:00+00:00")
        => $$"""{"schemaVersion":1,"agencyId":"{{agencyId}}","name":"{{name}}","eventId":"{{eventId}}","kind":"{{kind}}","urgent":{{(urgent ? "true" : "false")}},"occurredAt":"{{occurredAt}}","attempt":{{attempt}}}""";

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

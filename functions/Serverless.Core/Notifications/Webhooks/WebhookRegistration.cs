using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;

namespace Serverless.Notifications.Webhooks;

public static class WebhookRegistration
{
    /// <summary><see cref="WebhookOptions"/> from <c>Webhooks</c> (validated at start-up), the <c>Webhooks</c> table,
    /// the <c>webhook-deliveries</c> work queue, the production address policy and resolver (a test host replaces
    /// them, and the TLS settings, after this), the one HTTP transport, the dispatcher, the delivery handler and the
    /// admin service.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(WebhookStore.TableName);
            resources.WorkQueues.Add(WebhookDispatcher.Queue);
        });
        services.AddSingleton<IWebhookAddressPolicy, PublicAddressPolicy>();
        services.AddSingleton<IWebhookHostResolver, DnsWebhookHostResolver>();
        services.AddSingleton(new WebhookTlsSettings());
        services.AddSingleton<WebhookHosts>();
        services.AddSingleton<WebhookTransport>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookCipher>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddSingleton<WebhookDelivery>();
        services.AddSingleton<WebhookAdministration>();
        return services;
    }
}

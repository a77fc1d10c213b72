using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;

namespace Serverless.Transfers.Outgoing;

/// <summary>Sending cases to partner councils (called by <see cref="TransferRegistration.AddTransfers"/>).</summary>
public static class OutgoingTransferRegistration
{
    public static IServiceCollection AddOutgoingTransfers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AcknowledgeWithinHoursOptions>().Bind(configuration.GetSection(AcknowledgeWithinHoursOptions.Section));
        services.AddOptions<TransferDeliveryOptions>().Bind(configuration.GetSection(TransferDeliveryOptions.Section));
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(OutgoingTransferStore.TableName);
            resources.Containers.Add(OutgoingTransferStore.Container);
            resources.WorkQueues.Add(TransferDeliveryQueue.Name);
        });
        services.AddHttpClient(TransferDeliveryOptions.HttpClientName);
        services.AddSingleton<OutgoingTransferStore>();
        services.AddSingleton<TransferPackageBuilder>();
        services.AddSingleton<TransferDeliveryQueue>();
        services.AddSingleton<OutgoingTransferService>();
        services.AddSingleton<TransferDelivery>();
        services.AddSingleton<TransferDeadlines>();
        services.AddSingleton<TransferRequeue>();
        return services;
    }
}

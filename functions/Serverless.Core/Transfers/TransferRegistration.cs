using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;
using Serverless.Transfers.CarriedFiles;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Incoming;
using Serverless.Transfers.Outgoing;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers;

/// <summary>Case hand-over between councils (移管; called by <c>AddServerlessCore</c>). See docs/transfers.md.</summary>
public static class TransferRegistration
{
    public static IServiceCollection AddTransfers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TransferOptions>().Bind(configuration.GetSection(TransferOptions.Section));
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(TransferPartnerStore.TableName);
            resources.Tables.Add(IncomingTransferStore.TableName);
            resources.Containers.Add(IncomingTransferStore.Container);
        });
        services.AddSingleton<OwnTransferIdentity>();
        services.AddSingleton<TransferPartnerStore>();
        services.AddSingleton<TransferPartnerService>();
        services.AddSingleton<TransferDecryptionKey>();
        services.AddSingleton<IncomingTransferStore>();
        services.AddSingleton<TransferIntake>();
        services.AddSingleton<IncomingTransferList>();
        services.AddOutgoingTransfers(configuration);
        services.AddCarriedTransferFiles();
        return services;
    }
}

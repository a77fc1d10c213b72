using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>The files a package carries, sent and received after it (called by <see cref="TransferRegistration.AddTransfers"/>).</summary>
public static class CarriedFilesRegistration
{
    public static IServiceCollection AddCarriedTransferFiles(this IServiceCollection services)
    {
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(OutgoingTransferFileStore.TableName);
            resources.Tables.Add(IncomingTransferFileStore.TableName);
            resources.Containers.Add(IncomingTransferFileStore.Container);
            resources.WorkQueues.Add(TransferFileQueue.Name);
        });
        services.AddSingleton<OutgoingTransferFileStore>();
        services.AddSingleton<TransferFileQueue>();
        services.AddSingleton<TransferFileSender>();
        services.AddSingleton<IncomingTransferFileStore>();
        services.AddSingleton<AcceptedTransferFiles>();
        services.AddSingleton<IAcceptedTransferFiles>(provider => provider.GetRequiredService<AcceptedTransferFiles>());
        services.AddSingleton<TransferFileIntake>();
        services.AddSingleton<IncomingTransferFileReader>();
        return services;
    }
}

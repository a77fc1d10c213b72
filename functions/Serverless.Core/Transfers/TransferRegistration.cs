using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;
using Serverless.Transfers.Answers;
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
            resources.Tables.Add(TransferAnswerStore.TableName);
            resources.Tables.Add(ReceivedTransferAnswerStore.TableName);
            resources.WorkQueues.Add(TransferAnswerQueue.Name);
        });
        services.AddSingleton<OwnTransferIdentity>();
        services.AddSingleton<TransferPartnerStore>();
        services.AddSingleton<TransferPartnerService>();
        services.AddSingleton<TransferDecryptionKey>();
        services.AddSingleton<TransferSigning>();
        services.AddSingleton<Files.TransferFileExport>();
        services.AddSingleton<IncomingTransferStore>();
        services.AddSingleton<TransferIntake>();
        services.AddSingleton<IncomingTransferList>();
        services.AddSingleton<Receiving.IncomingPackageOpener>();
        services.AddSingleton<Receiving.IncomingTransferReader>();
        services.AddSingleton<Receiving.TransferAcceptance>();
        services.AddSingleton<Receiving.TransferMoreRequests>();
        services.AddSingleton<TransferAnswerStore>();
        services.AddSingleton<TransferAnswerQueue>();
        services.AddSingleton<ITransferAnswerOutbox, TransferAnswerOutbox>();
        services.AddSingleton<TransferAnswerDelivery>();
        services.AddSingleton<ReceivedTransferAnswerStore>();
        services.AddSingleton<TransferAnswerIntake>();
        services.AddOutgoingTransfers(configuration);
        services.AddCarriedTransferFiles();
        return services;
    }
}

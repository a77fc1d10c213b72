using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Serverless.Storage;

/// <summary>
/// The app's three storage service clients, built once: managed identity in Azure, Azurite locally,
/// never an account key. Queue clients encode messages in base64, which is what the Functions
/// queue trigger reads by default (plain text would send every message to the poison queue).
/// </summary>
public sealed class StorageClients
{
    public StorageClients(IOptions<StorageOptions> options, StorageOperationCounter counter)
    {
        var settings = options.Value;

        var tableOptions = new TableClientOptions();
        tableOptions.AddPolicy(new CountingPolicy("table", counter), HttpPipelinePosition.PerCall);
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        queueOptions.AddPolicy(new CountingPolicy("queue", counter), HttpPipelinePosition.PerCall);
        var rawQueueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None };
        rawQueueOptions.AddPolicy(new CountingPolicy("queue", counter), HttpPipelinePosition.PerCall);
        var blobOptions = new BlobClientOptions();
        blobOptions.AddPolicy(new CountingPolicy("blob", counter), HttpPipelinePosition.PerCall);

        if (!string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            Tables = new TableServiceClient(settings.ConnectionString, tableOptions);
            Queues = new QueueServiceClient(settings.ConnectionString, queueOptions);
            RawQueues = new QueueServiceClient(settings.ConnectionString, rawQueueOptions);
            Blobs = new BlobServiceClient(settings.ConnectionString, blobOptions);
            return; // an account key (Azurite's): storage gives no user delegation key to it
        }

        var credential = CreateCredential(settings.ManagedIdentityClientId);
        Tables = new TableServiceClient(settings.TableServiceUri!, credential, tableOptions);
        Queues = new QueueServiceClient(settings.QueueServiceUri!, credential, queueOptions);
        RawQueues = new QueueServiceClient(settings.QueueServiceUri!, credential, rawQueueOptions);
        Blobs = new BlobServiceClient(settings.BlobServiceUri!, credential, blobOptions);
        BlobsSignInWithToken = true;
    }

    /// <summary>Clients built elsewhere: the tests' host, whose blobs are on the Azurite that speaks OAuth over HTTPS
    /// while its tables and queues stay on the usual one.</summary>
    internal StorageClients(TableServiceClient tables, QueueServiceClient queues, QueueServiceClient rawQueues, BlobServiceClient blobs, bool blobsSignInWithToken)
    {
        Tables = tables;
        Queues = queues;
        RawQueues = rawQueues;
        Blobs = blobs;
        BlobsSignInWithToken = blobsSignInWithToken;
    }

    public TableServiceClient Tables { get; }

    public QueueServiceClient Queues { get; }

    /// <summary>Queue clients that neither encode nor decode: for reading poison queues, where a message
    /// another producer sent in plain text must be kept as it is instead of failing the whole receive.</summary>
    public QueueServiceClient RawQueues { get; }

    public BlobServiceClient Blobs { get; }

    /// <summary>The blob client signs in with a token (the managed identity), so storage gives it user delegation keys
    /// and the direct upload can hand out addresses. False with a connection string (<c>tools/Dev start</c> on Azurite):
    /// storage gives no such key to an account key.</summary>
    public bool BlobsSignInWithToken { get; }

    /// <summary>The user-assigned managed identity when its client id is set; otherwise DefaultAzureCredential.</summary>
    public static TokenCredential CreateCredential(string? managedIdentityClientId)
        => string.IsNullOrWhiteSpace(managedIdentityClientId)
            ? new DefaultAzureCredential() // an operator's own sign-in, for the ops tool
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(managedIdentityClientId));
}

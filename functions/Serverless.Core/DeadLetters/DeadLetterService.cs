using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Queues;
using Serverless.Storage;

namespace Serverless.DeadLetters;

/// <summary>
/// Moves messages from poison queues into the dead-letter table, counts them, and replays them.
/// Every step is idempotent: the row is keyed by the message id, so a sweep that crashes between
/// writing the row and deleting the message only writes the same row again next time.
/// </summary>
public sealed class DeadLetterService(
    StorageClients clients,
    StorageNames names,
    WorkQueue workQueue,
    IOptions<StorageResources> resources,
    TimeProvider clock,
    ILogger<DeadLetterService> logger)
{
    public const string TableName = "DeadLetters";

    /// <summary>Health reports at most this many, from a single query page.</summary>
    public const int CountCap = 1000;

    private const int BatchSize = 32;
    private const int MaxBatchesPerQueue = 50;

    /// <summary>While a sweep holds a poison message it is invisible to other sweeps.</summary>
    private static readonly TimeSpan SweepLease = TimeSpan.FromMinutes(5);

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    /// <summary>Records every message waiting in the work queues' poison queues. Returns how many moved.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var queue in resources.Value.WorkQueues)
        {
            // Read without decoding: one plain-text message must not make every receive (and the sweep) fail.
            var poison = clients.RawQueues.GetQueueClient(names.PoisonQueue(queue));
            for (var batch = 0; batch < MaxBatchesPerQueue; batch++)
            {
                QueueMessage[] messages = await poison.ReceiveMessagesAsync(BatchSize, SweepLease, cancellationToken);
                foreach (var message in messages)
                {
                    await Table.UpsertEntityAsync(ToEntity(queue, message), TableUpdateMode.Replace, cancellationToken);
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
                    logger.LogWarning("Message {MessageId} from queue {Queue} dead-lettered", message.MessageId, queue);
                    moved++;
                }

                if (messages.Length < BatchSize)
                {
                    break;
                }
            }
        }

        return moved;
    }

    /// <summary>How many dead letters wait, up to <see cref="CountCap"/> (one query page: health stays cheap).</summary>
    public async Task<(int Count, bool Capped)> CountAsync(CancellationToken cancellationToken)
    {
        var pages = Table.QueryAsync<TableEntity>(maxPerPage: CountCap, select: ["PartitionKey"], cancellationToken: cancellationToken).AsPages();
        await foreach (var page in pages)
        {
            return (page.Values.Count, page.ContinuationToken is not null);
        }

        return (0, false);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(string? queue, CancellationToken cancellationToken)
    {
        var filter = queue is null ? null : TableClient.CreateQueryFilter($"PartitionKey eq {queue}");
        var letters = new List<DeadLetter>();
        await foreach (var entity in Table.QueryAsync<DeadLetterEntity>(filter, cancellationToken: cancellationToken))
        {
            letters.Add(new DeadLetter(entity.PartitionKey, entity.RowKey, entity.MessageText, entity.FirstQueuedAt, entity.DeadLetteredAt, entity.Undecodable));
        }

        return letters;
    }

    /// <summary>
    /// Sends dead letters back to their work queue, then removes them from the table. A crash
    /// between the two sends the message again next time; queue handlers are idempotent.
    /// </summary>
    public async Task<int> ReplayAsync(string? queue, string? messageId, CancellationToken cancellationToken)
    {
        var replayed = 0;
        foreach (var letter in await ListAsync(queue, cancellationToken))
        {
            if (messageId is not null && letter.MessageId != messageId)
            {
                continue;
            }

            if (!resources.Value.WorkQueues.Contains(letter.Queue))
            {
                logger.LogWarning("Dead letter {MessageId} names unknown queue {Queue}; left in place", letter.MessageId, letter.Queue);
                continue;
            }

            await workQueue.ResendAsync(letter.Queue, letter.MessageText, asReceivedWithoutEncoding: letter.Undecodable, cancellationToken);
            try
            {
                await Table.DeleteEntityAsync(letter.Queue, letter.MessageId, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // Another replay removed it first; the message was sent twice, which handlers tolerate.
            }

            logger.LogInformation("Dead letter {MessageId} replayed to queue {Queue}", letter.MessageId, letter.Queue);
            replayed++;
        }

        return replayed;
    }

    private DeadLetterEntity ToEntity(string queue, QueueMessage message)
    {
        var body = message.Body.ToString();
        var decoded = QueueMessageText.TryDecode(body, out var text);
        return new()
        {
            PartitionKey = queue,
            RowKey = message.MessageId,
            MessageText = decoded ? text : body,
            Undecodable = !decoded,
            FirstQueuedAt = message.InsertedOn,
            DeadLetteredAt = clock.GetUtcNow(),
        };
    }
}

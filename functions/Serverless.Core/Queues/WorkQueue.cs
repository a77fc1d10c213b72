using System.Text;
using System.Text.Json;
using Serverless.Storage;

namespace Serverless.Queues;

/// <summary>
/// Hands work on to queue-triggered functions. Callers persist first and then send ids only:
/// a message is small, carries its schema version, and never expires (a message that expired
/// unread would be work silently lost).
/// </summary>
public sealed class WorkQueue(StorageClients clients, StorageNames names)
{
    /// <summary>A queue message may be 64 KiB; base64 makes 48 KiB of text into 64 KiB.</summary>
    public const int MaxMessageBytes = 48 * 1024;

    /// <summary>Time-to-live -1 means "never expires" to the Queue service.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    /// <summary>The longest the Queue service hides a new message (Put Message's <c>visibilitytimeout</c>: 0 to 7 days).</summary>
    public static readonly TimeSpan MaxVisibilityDelay = TimeSpan.FromDays(7);

    /// <param name="queue">The work queue's base name, as its queue trigger declares it.</param>
    public Task SendAsync<TMessage>(string queue, TMessage message, CancellationToken cancellationToken)
        where TMessage : ISchemaVersioned
        => SendAsync(queue, message, visibilityDelay: null, cancellationToken);

    /// <param name="queue">The work queue's base name, as its queue trigger declares it.</param>
    /// <param name="visibilityDelay">How long the message stays hidden before the trigger can see it (0 to
    /// <see cref="MaxVisibilityDelay"/>, counted by the Queue service's clock); null or zero: at once.</param>
    public async Task SendAsync<TMessage>(string queue, TMessage message, TimeSpan? visibilityDelay, CancellationToken cancellationToken)
        where TMessage : ISchemaVersioned
    {
        if (visibilityDelay is { } delay && (delay < TimeSpan.Zero || delay > MaxVisibilityDelay))
        {
            throw new ArgumentOutOfRangeException(nameof(visibilityDelay), delay, "A queue message can be hidden for 0 to 7 days.");
        }

        var text = Serialize(message);
        await clients.Queues.GetQueueClient(names.Queue(queue)).SendMessageAsync(text, visibilityTimeout: visibilityDelay is { } hidden && hidden > TimeSpan.Zero ? hidden : null, timeToLive: NeverExpires, cancellationToken);
    }

    /// <summary>Sends text that was already a message (a dead letter being replayed), base64-encoded as
    /// the trigger expects, or exactly as it first arrived when it never was valid base64.</summary>
    internal async Task ResendAsync(string queue, string text, bool asReceivedWithoutEncoding, CancellationToken cancellationToken)
    {
        var service = asReceivedWithoutEncoding ? clients.RawQueues : clients.Queues;
        await service.GetQueueClient(names.Queue(queue)).SendMessageAsync(text, visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
    }

    public static string Serialize<TMessage>(TMessage message)
        where TMessage : ISchemaVersioned
    {
        var text = JsonSerializer.Serialize(message, QueueMessageJson.Options);
        var size = Encoding.UTF8.GetByteCount(text);
        if (size > MaxMessageBytes)
        {
            throw new InvalidOperationException(
                $"A {typeof(TMessage).Name} is {size} bytes; queue messages carry ids only and must stay under {MaxMessageBytes} bytes.");
        }

        return text;
    }
}

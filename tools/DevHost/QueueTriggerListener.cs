using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Serverless.Queues;
using Serverless.Storage;

namespace Serverless.DevHost;

/// <summary>
/// Runs one queue-triggered function the way the Functions host documents it: messages are base64
/// (decoded by the base64 queue client), a batch at a time; success deletes the message; failure makes
/// it visible again after <c>visibilityTimeout</c>; after <c>maxDequeueCount</c> attempts it moves to
/// <c>&lt;queue&gt;-poison</c>. Queue names get the same test prefix the app's senders apply. Polling backs off to <c>maxPollingInterval</c> while the queue is empty.
/// </summary>
public sealed class QueueTriggerListener(
    QueueFunction function,
    StorageClients clients,
    StorageNames names,
    FunctionInvoker invoker,
    HostSettings settings,
    ILogger<QueueTriggerListener> logger) : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    public QueueFunction Function => function;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Raw clients, decoded here: as in the Functions host, a message that is not base64 goes straight
        // to the poison queue, as it arrived, instead of failing every receive.
        var queue = clients.RawQueues.GetQueueClient(names.Queue(function.QueueName));
        var poison = clients.RawQueues.GetQueueClient(names.PoisonQueue(function.QueueName));
        await queue.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
        await poison.CreateIfNotExistsAsync(cancellationToken: stoppingToken);

        var delay = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            QueueMessage[] messages;
            try
            {
                messages = await queue.ReceiveMessagesAsync(settings.BatchSize, settings.ProcessingLease, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException)
            {
                logger.LogWarning(ex, "Queue {Queue}: receive failed; retrying", function.QueueName);
                messages = [];
            }

            if (messages.Length == 0)
            {
                await Sleep(delay, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                continue;
            }

            delay = MinPollingInterval;
            await Task.WhenAll(messages.Select(message => ProcessAsync(queue, poison, message, stoppingToken)));
        }
    }

    private async Task ProcessAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        if (!QueueMessageText.TryDecode(message.Body.ToString(), out var text))
        {
            logger.LogWarning("Message {MessageId} on queue '{Queue}' is not base64; it cannot be processed", message.MessageId, function.QueueName);
            await MoveToPoisonAsync(queue, poison, message, stoppingToken);
            return;
        }

        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            await MoveToPoisonAsync(queue, poison, message, stoppingToken);
            return;
        }

        try
        {
            await invoker.InvokeAsync(function, parameter => Bind(parameter.ParameterType, text, stoppingToken), $"New queue message detected on '{function.QueueName}'.");
        }
        catch (FunctionFailedException)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                await MoveToPoisonAsync(queue, poison, message, stoppingToken);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: stoppingToken);
            }

            return;
        }

        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
    }

    private async Task MoveToPoisonAsync(QueueClient queue, QueueClient poison, QueueMessage message, CancellationToken stoppingToken)
    {
        await poison.SendMessageAsync(message.Body, cancellationToken: stoppingToken);
        await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        logger.LogWarning("Message {MessageId} has reached MaxDequeueCount of {MaxDequeueCount}. Moving message to queue '{PoisonQueue}'.", message.MessageId, settings.MaxDequeueCount, poison.Name);
    }

    private static object? Bind(Type type, string text, CancellationToken stoppingToken)
        => type == typeof(string) ? text
            : type == typeof(CancellationToken) ? stoppingToken
            : null;

    private static async Task Sleep(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
    }
}

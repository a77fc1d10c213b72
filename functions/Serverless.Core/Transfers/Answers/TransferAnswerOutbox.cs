using Microsoft.Extensions.Logging;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.Answers;

/// <summary>
/// <see cref="ITransferAnswerOutbox"/>: the row first (insert-only, keyed by <see cref="TransferAnswerKeys.For"/>), then
/// its ids on <c>transfer-answers</c>. The same answer again finds its row: queued once more while not yet delivered (a
/// crash between the row and the queue left it without a message), nothing once delivered or failed.
/// </summary>
public sealed class TransferAnswerOutbox(TransferAnswerStore store, TransferAnswerQueue queue, TimeProvider clock, ILogger<TransferAnswerOutbox> logger) : ITransferAnswerOutbox
{
    public async Task SendAsync(TransferAnswer answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (!MunicipalityCode.IsValid(answer.SenderMunicipalityCode)
            || !TransferAnswerLimits.IsValid(answer.Kind, answer.PackageMessageId, answer.AnsweredByName, answer.Request))
        {
            throw new ArgumentException("Not a well-formed transfer answer (sender code, package message id, kind, name 1–200, request 1–2,000 for a more-request only).", nameof(answer));
        }

        var key = TransferAnswerKeys.For(answer);
        var inserted = await store.TryInsertAsync(
            new TransferAnswerEntity
            {
                PartitionKey = answer.SenderMunicipalityCode,
                RowKey = key,
                AnswerMessageId = TransferIds.NewMessageId(),
                PackageMessageId = answer.PackageMessageId,
                Kind = answer.Kind,
                AnsweredAt = answer.AnsweredAt,
                AnsweredByName = answer.AnsweredByName.Trim(),
                Request = answer.Request?.Trim(),
                CreatedAt = clock.GetUtcNow(),
            },
            cancellationToken);
        if (!inserted && await store.GetAsync(answer.SenderMunicipalityCode, key, cancellationToken) is { } existing && existing.State != TransferAnswerStates.Queued)
        {
            logger.LogInformation("Transfer answer {AnswerKey} to {MunicipalityCode}: already {State}; not queued again", key, answer.SenderMunicipalityCode, existing.State);
            return;
        }

        await queue.SendAsync(answer.SenderMunicipalityCode, key, cancellationToken);
        logger.LogInformation("Transfer answer {AnswerKey} to {MunicipalityCode} queued ({Fresh})", key, answer.SenderMunicipalityCode, inserted ? "new" : "again");
    }
}

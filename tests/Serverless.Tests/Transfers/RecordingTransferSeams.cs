using System.Collections.Concurrent;
using Serverless.Transfers.Answers;
using Serverless.Transfers.CarriedFiles;

namespace Serverless.Tests.Transfers;

/// <summary>Records every answer handed to the outbox (the real one comes from the answers branch). <see cref="FailNext"/>
/// makes the next call throw, as a crash after the case was written would.</summary>
public sealed class RecordingTransferAnswerOutbox : ITransferAnswerOutbox
{
    public ConcurrentQueue<TransferAnswer> Sent { get; } = new();

    public bool FailNext { get; set; }

    public Task SendAsync(TransferAnswer answer, CancellationToken cancellationToken)
    {
        if (FailNext)
        {
            FailNext = false;
            throw new InvalidOperationException("Simulated crash in the answer outbox.");
        }

        Sent.Enqueue(answer);
        return Task.CompletedTask;
    }
}

/// <summary>Records every accepted transfer handed on for its files (the real one comes from the files branch).</summary>
public sealed class RecordingAcceptedTransferFiles : IAcceptedTransferFiles
{
    public ConcurrentQueue<AcceptedTransfer> Imported { get; } = new();

    public Task ImportAsync(AcceptedTransfer accepted, CancellationToken cancellationToken)
    {
        Imported.Enqueue(accepted);
        return Task.CompletedTask;
    }
}

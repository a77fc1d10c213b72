using Serverless.Cases.Storage;

namespace Serverless.Cases;

/// <summary>
/// The case's current row, read while the request's audit intent is being written, so the gate does not wait
/// for the intent before it reads. Fail closed still holds: nothing is served or changed before the intent is
/// stored (the handler runs after it), and a read that began earlier is only the gate's own read, begun sooner.
/// </summary>
public sealed class CaseReadAhead(string caseId, Task<StoredCase?> read)
{
    public string CaseId { get; } = caseId;

    public Task<StoredCase?> Read { get; } = read;

    /// <summary>Starts the read of <paramref name="caseId"/> (a valid case id).</summary>
    public static CaseReadAhead Start(CaseStore store, string caseId, CancellationToken cancellationToken)
    {
        var read = store.GetAsync(caseId, cancellationToken);
        // If the intent fails, nobody awaits the read: observe its failure so it is not reported as unobserved.
        _ = read.ContinueWith(task => _ = task.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return new CaseReadAhead(caseId, read);
    }
}

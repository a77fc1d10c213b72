using Serverless.Queues;
using Serverless.Referrals;
using Serverless.Storage;

namespace Serverless.Cases.Disposal;

/// <summary>The app's run of one approved disposal: the case id (or the id of a referral disposed of on its own) only, an
/// opaque id, never anything about the child.</summary>
public sealed record DisposalMessage(int SchemaVersion, string CaseId) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public static DisposalMessage Create(string caseId) => new(CurrentSchemaVersion, caseId);
}

/// <summary>
/// The work queue <c>disposals</c>: an approval sends the case id, hidden for <c>Disposal:ExecutionDelay</c>, and
/// the DisposalRun function runs it then (<see cref="DisposalRunner.RunQueuedAsync"/>). The <c>Disposals</c> row is
/// the truth; the message only says "look at this case now", so a duplicate or a late one is harmless.
/// </summary>
public sealed class DisposalQueue(WorkQueue queue)
{
    public const string Name = "disposals";

    public Task SendAsync(string caseId, TimeSpan delay, CancellationToken cancellationToken)
        => queue.SendAsync(Name, DisposalMessage.Create(caseId), delay, cancellationToken);

    /// <summary>The case id in a message; throws <see cref="UnreadableMessageException"/> (so it ends as a dead letter) for anything else.</summary>
    public static string ReadCaseId(string messageText)
    {
        var message = QueueMessageJson.Read<DisposalMessage>(messageText, DisposalMessage.CurrentSchemaVersion);
        return CaseIds.IsValid(message.CaseId) || ReferralIds.IsValid(message.CaseId)
            ? message.CaseId
            : throw new UnreadableMessageException("A disposal message carries a case id or a referral id (c or f and 26 base32 characters).");
    }
}

namespace Serverless.DeadLetters;

/// <summary>A dead letter as ops sees it.</summary>
public sealed record DeadLetter(string Queue, string MessageId, string MessageText, DateTimeOffset? FirstQueuedAt, DateTimeOffset DeadLetteredAt, bool Undecodable = false);

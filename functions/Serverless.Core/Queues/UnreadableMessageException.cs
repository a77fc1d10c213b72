namespace Serverless.Queues;

/// <summary>A queue message that can never be processed as it is. Its text names the shape and the
/// position of the fault, never the message content.</summary>
public sealed class UnreadableMessageException(string message) : Exception(message);

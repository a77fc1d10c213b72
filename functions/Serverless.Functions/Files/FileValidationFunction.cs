using Microsoft.Azure.Functions.Worker;
using Serverless.Files.Validation;

namespace Serverless.Functions.Files;

/// <summary>Validates a quarantined file and promotes or refuses it. Idempotent; a failure throws, so the host retries
/// and then dead-letters the message (the sweep queues the file again).</summary>
public sealed class FileValidationFunction(FileValidationQueue validation)
{
    [Function("ValidateFile")]
    public Task Run([QueueTrigger(FileValidationQueue.Queue)] string message, CancellationToken cancellationToken)
        => validation.HandleAsync(message, cancellationToken);
}

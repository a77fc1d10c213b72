using Microsoft.Azure.Functions.Worker;
using Serverless.Backup;

namespace Serverless.Functions.Backup;

/// <summary>
/// Daily at 03:00 Japan time (18:00 UTC), the app backs itself up with its own managed identity into the
/// backup storage account's container, encrypted to the coordinating body's public key: no person needs a
/// data role on the app's storage, and people only ever see ciphertext. Does nothing unless
/// <c>Backup:Enabled</c> is true. A failed backup throws, so the run shows as failed.
/// </summary>
public sealed class BackupFunction(BackupService backups)
{
    public const string Schedule = "0 0 18 * * *";

    [Function("Backup")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken)
        => backups.RunScheduledAsync(cancellationToken);
}

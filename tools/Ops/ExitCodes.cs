namespace Serverless.Ops;

/// <summary>What the tool's exit code tells a script (ops <c>verify</c>, a runbook).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and did not succeed: storage refused, a probe was not completed, nothing matched.</summary>
    public const int Failure = 1;

    /// <summary>The command line or the storage settings are wrong; nothing was done.</summary>
    public const int Usage = 2;

    /// <summary><c>audit verify</c> ran and found something: tampering, a late or missing entry, a broken chain.</summary>
    public const int AuditFindings = 3;

    /// <summary><c>restore</c> refused a backup it cannot trust: its manifest is unsigned or wrongly signed, or its
    /// audit seals differ from the live seal container. Nothing was written.</summary>
    public const int UntrustedBackup = 4;

    /// <summary><c>transfer-file open</c> refused a transfer file it cannot trust: it does not decrypt with the key (made
    /// for another key, or changed), it is not signed by the sender key given, or a file in it does not match the
    /// package's SHA-256. Nothing was written.</summary>
    public const int UntrustedTransferFile = 5;

    /// <summary>Stopped with Ctrl+C, as shells report a SIGINT.</summary>
    public const int Cancelled = 130;
}

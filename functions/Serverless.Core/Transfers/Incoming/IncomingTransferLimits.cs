namespace Serverless.Transfers.Incoming;

/// <summary>The intake's limits (docs/transfers.md). Each is explicit and tested.</summary>
public static class IncomingTransferLimits
{
    /// <summary>A sealed message larger than this is refused with 413 before it is read further (8 MiB).</summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>A package carrying more timeline entries than this is refused: the audit entry lists every entry id in one
    /// table property (at most 32K characters).</summary>
    public const int MaxEntries = 1000;

    /// <summary>A package carrying more file references than this is refused, for the same reason (a hash is 64 characters).</summary>
    public const int MaxFiles = 400;

    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 100;
}

namespace Serverless.Transfers.Incoming;

/// <summary>The intake's limits (docs/transfers.md). Each is explicit and tested.</summary>
public static class IncomingTransferLimits
{
    /// <summary>A sealed message larger than this is refused with 413 before it is read further (8 MiB).</summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>The bytes of one carried file (a <c>file</c> message's content): 25 MiB, the app's own upload limit.</summary>
    public const int MaxFileBytes = 25 * 1024 * 1024;

    /// <summary>A sealed <c>file</c> message: the file and 64 KiB for the envelope (routing, header, key wrap, signature).
    /// The intake reads a body up to this size and then holds every other kind to <see cref="MaxBodyBytes"/>.</summary>
    public const int MaxFileMessageBytes = MaxFileBytes + (64 * 1024);

    /// <summary>The body limit for a message of <paramref name="kind"/> (null: unreadable routing): only <c>file</c> messages
    /// get more than <see cref="MaxBodyBytes"/>.</summary>
    public static int MaxBodyBytesFor(string? kind) => kind == Envelope.TransferMessageKind.File ? MaxFileMessageBytes : MaxBodyBytes;

    /// <summary>A package carrying more timeline entries than this is refused: the audit entry lists every entry id in one
    /// table property (at most 32K characters).</summary>
    public const int MaxEntries = 1000;

    /// <summary>A package carrying more file references than this is refused, for the same reason (a hash is 64 characters).</summary>
    public const int MaxFiles = 400;

    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 100;
}

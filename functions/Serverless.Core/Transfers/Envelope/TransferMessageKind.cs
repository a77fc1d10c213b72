namespace Serverless.Transfers.Envelope;

/// <summary>
/// What a transfer message carries: a case package, or the receiver's answer to one (an acknowledgement, a more-request); or, for a receiver
/// that does not run this system, an export file (<see cref="PackageFile"/>).
/// </summary>
public static class TransferMessageKind
{
    public const string Package = "package";
    public const string Acknowledgement = "acknowledgement";

    /// <summary>The receiver asks the sender for more about a package it received (an answer, as an acknowledgement is).</summary>
    public const string MoreRequest = "more-request";

    /// <summary>One file a delivered package references, sent after it (<c>Transfers/CarriedFiles</c>).</summary>
    public const string File = "file";

    /// <summary>
    /// An export file (<c>Transfers/Files/TransferFile</c>): the package and its files, opened by the receiving
    /// coordinator with <c>serverless-ops transfer-file open</c>. It never travels between two systems: it is not
    /// <see cref="IsKnown"/>, so <see cref="TransferEnvelope.ReadRouting"/> and <see cref="TransferEnvelope.Open"/>
    /// (what an intake reads with) refuse it as malformed. Otherwise a file handed to one council could be replayed to
    /// the intake as a package.
    /// </summary>
    public const string PackageFile = "package-file";

    /// <summary>The kinds two systems exchange, and so the only kinds an intake reads.</summary>
    public static bool IsKnown(string? kind) => kind is Package or Acknowledgement or MoreRequest or File;
}

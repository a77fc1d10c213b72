namespace Serverless.Transfers.Envelope;

/// <summary>What a transfer message carries: a case package, or the receiver's acknowledgement of one.</summary>
public static class TransferMessageKind
{
    public const string Package = "package";
    public const string Acknowledgement = "acknowledgement";

    public static bool IsKnown(string? kind) => kind is Package or Acknowledgement;
}

namespace Serverless.Transfers.Envelope;

/// <summary>
/// The clear part of a sealed message: enough for the receiver to pick the sender's key and refuse what is not for
/// it before decrypting anything. It holds codes and an id only, never personal data, and is bound into both the
/// signature and the AES-GCM associated data, so changing it breaks the package.
/// </summary>
public sealed record TransferRouting(string Kind, string MessageId, string SenderCode, string ReceiverCode);

namespace Serverless.Transfers.Envelope;

/// <summary>
/// One message between two councils, before sealing and after opening: who sends it to whom (municipality codes),
/// its id (unique per sender: the receiver refuses a second message with the same id), when it was made, and its
/// payload (a <see cref="TransferMessageKind.Package"/>'s is a <c>TransferPackage</c> JSON document).
/// </summary>
public sealed record TransferMessage(string Kind, string MessageId, string SenderCode, string ReceiverCode, DateTimeOffset CreatedAt, byte[] Payload);

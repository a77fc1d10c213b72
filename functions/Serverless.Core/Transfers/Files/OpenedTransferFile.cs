using Serverless.Transfers.Packages;

namespace Serverless.Transfers.Files;

/// <summary>
/// An export file that decrypted, whose signature is the sender's and whose every file matches the package:
/// who sent it (codes), its message id, the package (parsed, and as the JSON that was signed) and the files.
/// </summary>
public sealed record OpenedTransferFile(
    string MessageId,
    string SenderCode,
    string ReceiverCode,
    DateTimeOffset CreatedAt,
    TransferPackage Package,
    byte[] PackageJson,
    IReadOnlyList<TransferFileContent> Files);

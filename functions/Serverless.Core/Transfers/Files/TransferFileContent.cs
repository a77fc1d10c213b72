namespace Serverless.Transfers.Files;

/// <summary>One file an export file carries: the id a <c>TransferFileReference</c> of the package names, and its bytes.</summary>
public sealed record TransferFileContent(string FileId, byte[] Content);

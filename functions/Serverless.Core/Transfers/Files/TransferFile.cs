using System.Security.Cryptography;
using Serverless.Backup;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Packages;
using Serverless.Transfers.Partners;

namespace Serverless.Transfers.Files;

/// <summary>
/// The export file for a receiving council that does not run this system (docs/transfer-file.md). It is the transfer
/// envelope (<see cref="TransferEnvelope"/>: signed with this council's key through <see cref="IManifestSigner"/>, then
/// encrypted to the receiving coordinator's RSA key of at least 3072 bits) with the kind
/// <see cref="TransferMessageKind.PackageFile"/>, which no intake reads, and as payload the package JSON and its files
/// (<see cref="TransferFileContainer"/>). The receiving coordinator opens it with <c>serverless-ops transfer-file open</c>.
/// </summary>
/// <remarks>
/// The whole file is held in memory on both sides (about four copies while sealing or opening), so its size is
/// capped at <see cref="MaxFileBytes"/>; a case with more files than fit is not exported in one file.
/// </remarks>
internal static class TransferFile
{
    /// <summary>The largest export file made or opened: 512 MiB.</summary>
    public const long MaxFileBytes = 512L * 1024 * 1024;

    /// <summary>The most files one export file carries.</summary>
    public const int MaxFiles = 10_000;

    /// <summary>
    /// Seals <paramref name="package"/> and exactly the files it references. Refuses (<see cref="ArgumentException"/>) a
    /// file the package does not name, a named file not given, a file whose length or SHA-256 differs from the package's,
    /// an RSA key under 3072 bits, and codes that are not municipality codes; <see cref="TransferFileException"/>
    /// (TooLarge) past the limits.
    /// </summary>
    public static async Task<(string MessageId, byte[] Bytes)> WriteAsync(
        TransferPackage package,
        IReadOnlyList<TransferFileContent> files,
        string senderCode,
        string receiverCode,
        DateTimeOffset createdAt,
        IManifestSigner signer,
        RSA receiverKey,
        CancellationToken cancellationToken)
    {
        if (receiverKey.KeySize < BackupEnvelope.MinimumKeyBits)
        {
            throw new ArgumentException($"The receiver's key has {receiverKey.KeySize} bits; an export file needs at least {BackupEnvelope.MinimumKeyBits}.", nameof(receiverKey));
        }

        if (!MunicipalityCode.IsValid(senderCode) || !MunicipalityCode.IsValid(receiverCode))
        {
            throw new ArgumentException("Sender and receiver must be municipality codes with their check digit.", nameof(receiverCode));
        }

        if (files.Count > MaxFiles)
        {
            throw new TransferFileException(TransferFileFailure.TooLarge, $"{files.Count} files; an export file carries at most {MaxFiles}.");
        }

        if (Mismatch(package, files) is { } problem)
        {
            throw new ArgumentException(problem, nameof(files));
        }

        var payload = TransferFileContainer.Write(package.ToJson(), files);
        var message = new TransferMessage(TransferMessageKind.PackageFile, TransferIds.NewMessageId(), senderCode, receiverCode, createdAt, payload);
        var bytes = await TransferEnvelope.SealAsync(message, signer, receiverKey, cancellationToken);
        return bytes.LongLength <= MaxFileBytes
            ? (message.MessageId, bytes)
            : throw new TransferFileException(TransferFileFailure.TooLarge, $"The sealed file would be {bytes.LongLength} bytes; an export file holds at most {MaxFileBytes}.");
    }

    /// <summary>
    /// Opens an export file with the receiving coordinator's private key, checking the signature with the sender's
    /// public key (the one whose fingerprint was confirmed on the phone) and every file against the package.
    /// Throws <see cref="TransferFileException"/>; nothing is returned from a file that fails any check.
    /// </summary>
    public static OpenedTransferFile Open(ReadOnlySpan<byte> file, RSA ownKey, ECDsa senderKey)
    {
        if (file.Length > MaxFileBytes)
        {
            throw new TransferFileException(TransferFileFailure.TooLarge, $"The file is {file.Length} bytes; an export file holds at most {MaxFileBytes}.");
        }

        TransferMessage message;
        try
        {
            message = TransferEnvelope.OpenExportFile(file, ownKey, senderKey);
        }
        catch (TransferEnvelopeException ex)
        {
            throw new TransferFileException(
                ex.Failure switch
                {
                    TransferEnvelopeFailure.Undecryptable => TransferFileFailure.Undecryptable,
                    TransferEnvelopeFailure.BadSignature => TransferFileFailure.BadSignature,
                    _ => TransferFileFailure.Malformed,
                },
                ex.Failure == TransferEnvelopeFailure.Malformed ? "Not an export file of this system, or truncated." : ex.Message);
        }

        var (packageJson, files) = TransferFileContainer.Read(message.Payload);
        var package = TransferPackage.Parse(packageJson)
            ?? throw new TransferFileException(TransferFileFailure.Malformed, "The file's package is not a package of a version this tool reads.");
        if (Mismatch(package, files) is { } problem)
        {
            throw new TransferFileException(TransferFileFailure.FileMismatch, problem);
        }

        return new OpenedTransferFile(message.MessageId, message.SenderCode, message.ReceiverCode, message.CreatedAt, package, packageJson, files);
    }

    /// <summary>What is wrong between the files the package names and the files given (ids only), or null.</summary>
    private static string? Mismatch(TransferPackage package, IReadOnlyList<TransferFileContent> files)
    {
        var named = new Dictionary<string, TransferFileReference>(StringComparer.Ordinal);
        foreach (var reference in package.Timeline.SelectMany(entry => entry.Files))
        {
            if (named.TryGetValue(reference.FileId, out var earlier) && (earlier.Sha256 != reference.Sha256 || earlier.Length != reference.Length))
            {
                return $"The package names file {reference.FileId} twice, with different contents.";
            }

            named[reference.FileId] = reference;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (!seen.Add(file.FileId))
            {
                return $"File {file.FileId} is carried twice.";
            }

            if (!named.TryGetValue(file.FileId, out var reference))
            {
                return $"File {file.FileId} is not named by the package.";
            }

            if (file.Content.LongLength != reference.Length || !string.Equals(Convert.ToHexStringLower(SHA256.HashData(file.Content)), reference.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return $"File {file.FileId} is not the file the package names: its length or SHA-256 differs.";
            }
        }

        return named.Keys.FirstOrDefault(id => !seen.Contains(id)) is { } missing ? $"File {missing} named by the package is not carried." : null;
    }
}

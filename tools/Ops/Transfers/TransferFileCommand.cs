using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serverless.Backup;
using Serverless.Transfers.Files;
using Serverless.Transfers.Keys;

namespace Serverless.Ops.Transfers;

/// <summary>
/// <c>transfer-file open --file F --key transfer-key.pem --sender-key SENDER.pub.pem --out DIR [--passphrase-file P]</c>:
/// decrypts an export file (<see cref="TransferFile"/>) with the receiving coordinator's key, checks its signature
/// against the sender's public key (the one whose fingerprint was confirmed on the phone) and every file against the
/// package's SHA-256, and only then writes <c>package.json</c>, <c>files.tsv</c> and <c>files/</c> into
/// <c>DIR</c> (which must not exist, or be empty). A file that fails a check writes nothing and exits
/// <see cref="ExitCodes.UntrustedTransferFile"/>.
/// </summary>
internal static class TransferFileCommand
{
    public const string PackageFileName = "package.json";
    public const string IndexFileName = "files.tsv";
    public const string FilesFolder = "files";

    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Option<string>("--file") { Description = "The transfer file the sending council sent.", Required = true };
        var key = new Option<string>("--key") { Description = $"Your private key ({TransferKeyCommand.PrivateKeyFile}, made by 'transfer-key new').", Required = true };
        var senderKey = new Option<string>("--sender-key") { Description = "The sending council's signing PUBLIC key (P-256 PEM), whose fingerprint you confirmed with them on the phone.", Required = true };
        var outDirectory = new Option<string>("--out") { Description = "A new (or empty) folder for package.json, files.tsv and the files.", Required = true };
        var passphraseFile = Passphrase.FileOption();
        var open = new Command("open", "Decrypt and check a transfer file, then write the package and its files into a folder. Nothing is written unless every check passes.")
        {
            file,
            key,
            senderKey,
            outDirectory,
            passphraseFile,
        };
        open.SetAction(async (parseResult, cancellationToken) =>
        {
            var target = Path.GetFullPath(parseResult.GetValue(outDirectory)!);
            if (File.Exists(target) || (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any()))
            {
                await error.WriteLineAsync($"{target} is not empty; give a new folder. Nothing was written.");
                return ExitCodes.Failure;
            }

            using var sender = LoadSenderKey(parseResult.GetValue(senderKey)!);
            using var own = LoadOwnKey(parseResult.GetValue(key)!, parseResult.GetValue(passphraseFile), error);
            var path = parseResult.GetValue(file)!;
            var bytes = await ReadAsync(path, cancellationToken);

            OpenedTransferFile opened;
            try
            {
                opened = TransferFile.Open(bytes, own, sender);
            }
            catch (TransferFileException ex) when (ex.Failure == TransferFileFailure.TooLarge)
            {
                await error.WriteLineAsync($"{ex.Message} Nothing was written.");
                return ExitCodes.Failure;
            }
            catch (TransferFileException ex)
            {
                await error.WriteLineAsync($"REFUSED: {Explain(ex.Failure)} ({ex.Message}) Nothing was written. Do not use this file; phone the sending council at the number in the official directory.");
                return ExitCodes.UntrustedTransferFile;
            }

            var count = await WriteAsync(opened, target, cancellationToken);
            await output.WriteLineAsync($"Opened transfer file {opened.MessageId} from council {opened.SenderCode} to council {opened.ReceiverCode}, made {opened.CreatedAt.ToOffset(TimeSpan.FromHours(9)):yyyy-MM-dd HH:mm} (JST).");
            await output.WriteLineAsync($"Signature checked against the sender key with fingerprint {KeyFingerprint.Grouped(KeyFingerprint.Of(sender))}; every file matches its SHA-256.");
            await output.WriteLineAsync($"Wrote {opened.Package.Timeline.Count} timeline entries and {count} files into {target}.");
            return ExitCodes.Ok;
        });
        return new Command("transfer-file", "Transfer files for a receiving council that does not run this system.") { open };
    }

    private static string Explain(TransferFileFailure failure) => failure switch
    {
        TransferFileFailure.Undecryptable => "the file cannot be decrypted with this key: it was made for another key, or changed on the way.",
        TransferFileFailure.BadSignature => "the file is not signed by the sender key given: another sender, or a forged file.",
        TransferFileFailure.FileMismatch => "a file inside does not match the package's SHA-256 (or one is missing).",
        _ => "this is not a transfer file of this system, or it is damaged.",
    };

    private static ECDsa LoadSenderKey(string path)
    {
        var pem = ReadText(path, "--sender-key");
        return PartnerKeys.ImportVerificationKey(pem, out var problem) ?? throw new UsageException($"--sender-key {path}: {problem}");
    }

    private static RSA LoadOwnKey(string path, string? passphraseFile, TextWriter error)
    {
        var pem = ReadText(path, "--key");
        var encrypted = PemEncoding.TryFind(pem, out var fields) && pem[fields.Label] == "ENCRYPTED PRIVATE KEY";
        var passphrase = encrypted ? Passphrase.ForExistingKey(passphraseFile, error) : null;
        try
        {
            return BackupEnvelope.ImportPrivateKey(pem, passphrase, path);
        }
        catch (BackupKeyException ex)
        {
            throw new UsageException(encrypted && ex.Message.Contains("could not be opened", StringComparison.Ordinal)
                ? $"{path} could not be opened: wrong passphrase (or not a transfer key). Nothing was written."
                : ex.Message);
        }
    }

    private static string ReadText(string path, string option)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{option}: cannot read {path}: {ex.Message}");
        }
    }

    private static async Task<byte[]> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var length = new FileInfo(path).Length;
            if (length > TransferFile.MaxFileBytes)
            {
                throw new UsageException($"--file {path} is {length} bytes; a transfer file holds at most {TransferFile.MaxFileBytes}.");
            }

            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--file: cannot read {path}: {ex.Message}");
        }
    }

    /// <summary>
    /// Writes into a hidden folder beside <paramref name="target"/> and moves it into place at the end, so a failure
    /// while writing (a full disk) leaves no half-opened case behind. Only the owner can read what is written.
    /// </summary>
    private static async Task<int> WriteAsync(OpenedTransferFile opened, string target, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(target) ?? throw new UsageException($"--out {target}: give a folder inside another.");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.opening-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        try
        {
            OwnerOnlyFiles.CreateDirectory(staging);
            await OwnerOnlyFiles.WriteNewAsync(Path.Combine(staging, PackageFileName), Reindent(opened.PackageJson), cancellationToken);
            OwnerOnlyFiles.CreateDirectory(Path.Combine(staging, FilesFolder));
            var contents = opened.Files.ToDictionary(content => content.FileId, StringComparer.Ordinal);
            var names = new SafeFileNames();
            var index = new System.Text.StringBuilder("entryId\tfileId\tsavedAs\tname\tsha256\n");
            foreach (var entry in opened.Package.Timeline)
            {
                foreach (var reference in entry.Files)
                {
                    var saved = names.Next(reference.FileName, reference.FileId);
                    if (saved is null)
                    {
                        continue; // the same file named by an earlier entry: written once
                    }

                    await OwnerOnlyFiles.WriteNewAsync(Path.Combine(staging, FilesFolder, saved), contents[reference.FileId].Content, cancellationToken);
                    index.Append($"{Tsv(entry.EntryId)}\t{Tsv(reference.FileId)}\t{FilesFolder}/{saved}\t{Tsv(reference.FileName)}\t{reference.Sha256}\n");
                }
            }

            await OwnerOnlyFiles.WriteNewAsync(Path.Combine(staging, IndexFileName), index.ToString(), cancellationToken);
            if (Directory.Exists(target))
            {
                Directory.Delete(target); // checked empty above
            }

            Directory.Move(staging, target);
            return names.Count;
        }
        catch
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }

            throw;
        }
    }

    private static string Tsv(string text) => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));

    private static byte[] Reindent(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            document.WriteTo(writer);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}

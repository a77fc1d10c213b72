using System.CommandLine;
using System.Security.Cryptography;
using Serverless.Transfers.Keys;

namespace Serverless.Ops.Transfers;

/// <summary>
/// <c>transfer-key new --out DIR [--passphrase-file F]</c>: the key pair of a receiving coordinator whose council does
/// not run this system (docs/transfer-file.md). The private key (<see cref="PrivateKeyFile"/>) is an encrypted PKCS#8
/// PEM that never leaves the coordinator's machine; the public key (<see cref="PublicKeyFile"/>) goes to the sending
/// council, and the fingerprint printed here is read out to them on the phone.
/// </summary>
internal static class TransferKeyCommand
{
    public const string PrivateKeyFile = "transfer-key.pem";
    public const string PublicKeyFile = "transfer-key.pub.pem";
    public const int KeyBits = 3072;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDirectory = new Option<string>("--out") { Description = $"Folder for {PrivateKeyFile} (private, passphrase-protected) and {PublicKeyFile} (public).", Required = true };
        var passphraseFile = Passphrase.FileOption();
        var create = new Command("new", "Make a receiving coordinator's key pair for transfer files: send only the public key, and read the fingerprint out on the phone.")
        {
            outDirectory,
            passphraseFile,
        };
        create.SetAction(async (parseResult, cancellationToken) =>
        {
            var directory = Path.GetFullPath(parseResult.GetValue(outDirectory)!);
            var privatePath = Path.Combine(directory, PrivateKeyFile);
            var publicPath = Path.Combine(directory, PublicKeyFile);
            if (File.Exists(privatePath) || File.Exists(publicPath))
            {
                await error.WriteLineAsync($"{directory} already holds a transfer key; not overwriting it (files made for it would become unreadable).");
                return ExitCodes.Failure;
            }

            var passphrase = Passphrase.ForNewKey(parseResult.GetValue(passphraseFile), error);
            Directory.CreateDirectory(directory);
            using var rsa = RSA.Create(KeyBits);
            var privatePem = rsa.ExportEncryptedPkcs8PrivateKeyPem(passphrase, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000));
            await OwnerOnlyFiles.WriteNewAsync(privatePath, privatePem + "\n", cancellationToken);
            await File.WriteAllTextAsync(publicPath, rsa.ExportSubjectPublicKeyInfoPem() + "\n", cancellationToken);

            var fingerprint = KeyFingerprint.Of(rsa);
            await output.WriteLineAsync($"Wrote {publicPath}: send this PUBLIC key to the sending council (e-mail is fine).");
            await output.WriteLineAsync($"Wrote {privatePath} (passphrase-protected): keep it on this machine; never send it, never send the passphrase.");
            await output.WriteLineAsync($"Fingerprint, to read out on the phone: {KeyFingerprint.Grouped(fingerprint)}");
            await output.WriteLineAsync($"sha256:{fingerprint}");
            return ExitCodes.Ok;
        });
        return new Command("transfer-key", "The receiving coordinator's key pair that transfer files are encrypted to.") { create };
    }
}

using System.CommandLine;
using System.Security.Cryptography;
using Serverless.Backup;

namespace Serverless.Ops.Backup;

/// <summary>
/// <c>backup-key create --out DIR [--password-env VAR]</c>: a new RSA key pair for the coordinating
/// body, made on the coordinator's own machine. <c>coordinator.pub.pem</c> goes to IT for
/// <c>backup --recipient-key</c>; <c>coordinator.pem</c>, the private key, never goes to IT or to
/// Azure: the coordinator keeps it offline and brings it only to a restore.
/// </summary>
internal static class BackupKeyCommand
{
    public const string PrivateKeyFile = "coordinator.pem";
    public const string PublicKeyFile = "coordinator.pub.pem";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var outDirectory = new Option<string>("--out") { Description = "Folder for coordinator.pem (private) and coordinator.pub.pem (public).", Required = true };
        var bits = new Option<int>("--bits") { Description = "RSA key size: 3072 or more.", DefaultValueFactory = _ => 3072 };
        bits.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value < BackupEnvelope.MinimumKeyBits || value > 16384 || value % 1024 != 0)
            {
                result.AddError("--bits must be 3072, 4096 or another multiple of 1024 from 3072 up.");
            }
        });
        var passwordEnv = PasswordEnvOption("Environment variable holding a password to protect the private key with (PKCS#8, AES-256, PBKDF2-SHA256).");
        var create = new Command("create", "Make the coordinating body's backup key pair, on the coordinator's own machine. The private key never goes to IT or to Azure.")
        {
            outDirectory,
            bits,
            passwordEnv,
        };
        create.SetAction(async (parseResult, cancellationToken) =>
        {
            var password = ReadPassword(parseResult.GetValue(passwordEnv));
            var directory = Path.GetFullPath(parseResult.GetValue(outDirectory)!);
            var privatePath = Path.Combine(directory, PrivateKeyFile);
            var publicPath = Path.Combine(directory, PublicKeyFile);
            if (File.Exists(privatePath) || File.Exists(publicPath))
            {
                await error.WriteLineAsync($"{directory} already holds a backup key; not overwriting it (backups made for it would become unreadable).");
                return ExitCodes.Failure;
            }

            Directory.CreateDirectory(directory);
            using var rsa = RSA.Create(parseResult.GetValue(bits));
            var privatePem = password is null
                ? rsa.ExportPkcs8PrivateKeyPem()
                : rsa.ExportEncryptedPkcs8PrivateKeyPem(password, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 600_000));
            await WritePrivateAsync(privatePath, privatePem, cancellationToken);
            await File.WriteAllTextAsync(publicPath, rsa.ExportSubjectPublicKeyInfoPem() + "\n", cancellationToken);

            await output.WriteLineAsync($"Wrote {publicPath}: give this public key to IT for 'backup --recipient-key'.");
            await output.WriteLineAsync($"Wrote {privatePath}{(password is null ? "" : " (password-protected)")}: keep it offline with the coordinating body; it never goes to IT or to Azure. Without it no backup can be restored.");
            await output.WriteLineAsync($"Key fingerprint: sha256:{BackupEnvelope.Fingerprint(rsa)}");
            return ExitCodes.Ok;
        });
        return new Command("backup-key", "The coordinating body's key pair that backups are encrypted to.") { create };
    }

    public static Option<string> PasswordEnvOption(string description) => new("--password-env") { Description = description };

    /// <summary>The password from the named environment variable (never from the command line, where it would stay in shell history).</summary>
    public static string? ReadPassword(string? variable)
    {
        if (variable is null)
        {
            return null;
        }

        return Environment.GetEnvironmentVariable(variable) is { Length: > 0 } password
            ? password
            : throw new UsageException($"--password-env {variable}: that environment variable is not set or is empty.");
    }

    private static async Task WritePrivateAsync(string path, string pem, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(pem.AsMemory(), cancellationToken);
        await writer.WriteLineAsync();
    }
}

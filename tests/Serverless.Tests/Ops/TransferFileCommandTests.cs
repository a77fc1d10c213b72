using System.Security.Cryptography;
using System.Text;
using Serverless.Ops;
using Serverless.Tests.Infrastructure;
using Serverless.Tests.Transfers;
using Serverless.Transfers.Files;
using Serverless.Transfers.Keys;
using Serverless.Transfers.Packages;

namespace Serverless.Tests.Ops;

/// <summary>
/// <c>transfer-key new</c> and <c>transfer-file open</c>, in-process: the receiving coordinator makes a key, the sender
/// seals a file to its public key, and the coordinator opens it into a folder. A file that fails any check writes
/// nothing and exits 5.
/// </summary>
public sealed class TransferFileCommandTests : IDisposable
{
    private const string GoodPassphrase = "みどり市こども家庭課の合言葉";

    private readonly string work = Directory.CreateTempSubdirectory("serverless-transfer-file-tests-").FullName;
    private readonly TestTransferKeys sender = new();

    private string Keys => Path.Combine(work, "keys");

    private string Out => Path.Combine(work, "opened");

    public void Dispose()
    {
        sender.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task ANewKeyOpensAFileSealedToItWithJapaneseFileNames()
    {
        var (code, output, error) = await NewKeyAsync();
        Assert.Equal((ExitCodes.Ok, ""), (code, error));
        using var publicKey = PublicKey();
        var fingerprint = KeyFingerprint.Of(publicKey);
        Assert.Contains($"Fingerprint, to read out on the phone: {KeyFingerprint.Grouped(fingerprint)}", output);
        Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", await File.ReadAllTextAsync(Path.Combine(Keys, "transfer-key.pem")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(Keys, "transfer-key.pem")));
        }

        var file = await SealToKeyAsync(TransferFileTests.Package());
        (code, output, error) = await OpenAsync(file);

        Assert.Equal((ExitCodes.Ok, ""), (code, error));
        Assert.Contains($"from council {TransferFileTests.Sender} to council {TransferFileTests.Receiver}", output);
        Assert.Contains("Wrote 2 timeline entries and 2 files into", output);
        Assert.Contains($"Signature checked against the sender key with fingerprint {KeyFingerprint.Grouped(sender.SigningFingerprint)};", output);
        Assert.Equal(TransferFileTests.Photo, await File.ReadAllBytesAsync(Path.Combine(Out, "files", "家庭訪問の写真.jpg")));
        Assert.Equal(TransferFileTests.Report, await File.ReadAllBytesAsync(Path.Combine(Out, "files", "報告書（学校）.pdf")));
        var package = TransferPackage.Parse(await File.ReadAllBytesAsync(Path.Combine(Out, "package.json")));
        Assert.NotNull(package);
        Assert.Equal(TransferFileTests.Package().ToJson(), package.ToJson());
        Assert.Contains("\"family\": \"山田\"", await File.ReadAllTextAsync(Path.Combine(Out, "package.json"))); // readable, not \u escapes
        Assert.Equal(
            [
                "entryId\tfileId\tsavedAs\tname\tsha256",
                $"e-1\tf-1\tfiles/家庭訪問の写真.jpg\t家庭訪問の写真.jpg\t{TransferFileTests.Sha256(TransferFileTests.Photo)}",
                $"e-2\tf-2\tfiles/報告書（学校）.pdf\t報告書（学校）.pdf\t{TransferFileTests.Sha256(TransferFileTests.Report)}",
            ],
            (await File.ReadAllLinesAsync(Path.Combine(Out, "files.tsv"))).ToArray());
        Assert.DoesNotContain(Directory.GetFileSystemEntries(work), entry => Path.GetFileName(entry).StartsWith(".opened", StringComparison.Ordinal)); // the staging folder was moved
    }

    [Fact]
    public async Task FileNamesWithPathsStayInsideTheFolder()
    {
        Assert.Equal(ExitCodes.Ok, (await NewKeyAsync()).ExitCode);
        var file = await SealToKeyAsync(TransferFileTests.Package(photoName: "../../逃げる.jpg", reportName: "..\\..\\逃げる.jpg"));

        var (code, _, error) = await OpenAsync(file);

        Assert.Equal((ExitCodes.Ok, ""), (code, error));
        Assert.Equal(["逃げる (2).jpg", "逃げる.jpg"], Directory.GetFiles(Path.Combine(Out, "files")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(Path.Combine(work, "逃げる.jpg")));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(work)!, "逃げる.jpg")));
        Assert.Equal(TransferFileTests.Photo, await File.ReadAllBytesAsync(Path.Combine(Out, "files", "逃げる.jpg")));
    }

    [Fact]
    public async Task AFileSignedByAnotherKeyExitsFiveAndWritesNothing()
    {
        Assert.Equal(ExitCodes.Ok, (await NewKeyAsync()).ExitCode);
        using var impostor = new TestTransferKeys();
        var file = await SealToKeyAsync(TransferFileTests.Package(), impostor.SigningPrivatePem);

        var (code, output, error) = await OpenAsync(file);

        Assert.Equal((ExitCodes.UntrustedTransferFile, ""), (code, output));
        Assert.StartsWith("REFUSED: the file is not signed by the sender key given", error);
        AssertNothingOpened();
    }

    [Fact]
    public async Task AChangedByteExitsFiveAndLeavesAnEmptyFolderEmpty()
    {
        Assert.Equal(ExitCodes.Ok, (await NewKeyAsync()).ExitCode);
        var file = await SealToKeyAsync(TransferFileTests.Package());
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^100] ^= 0x01;
        await File.WriteAllBytesAsync(file, bytes);
        Directory.CreateDirectory(Out);

        var (code, _, error) = await OpenAsync(file);

        Assert.Equal(ExitCodes.UntrustedTransferFile, code);
        Assert.StartsWith("REFUSED: the file cannot be decrypted with this key", error);
        Assert.Empty(Directory.GetFileSystemEntries(Out));
        Assert.Equal(["file.bin", "keys", "opened", "passphrase.txt", "sender.pub.pem"], Directory.GetFileSystemEntries(work).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AFileNotMatchingItsHashExitsFiveAndWritesNothing()
    {
        Assert.Equal(ExitCodes.Ok, (await NewKeyAsync()).ExitCode);
        using var publicKey = PublicKey();
        var changed = (byte[])TransferFileTests.Report.Clone();
        changed[0] ^= 0x01;
        var payload = TransferFileContainer.Write(TransferFileTests.Package().ToJson(), [new("f-1", TransferFileTests.Photo), new("f-2", changed)]);
        using var signer = new Serverless.Backup.PemManifestSigner(sender.SigningPrivatePem, "test");
        var message = new Serverless.Transfers.Envelope.TransferMessage(
            Serverless.Transfers.Envelope.TransferMessageKind.PackageFile, Serverless.Transfers.Envelope.TransferIds.NewMessageId(), TransferFileTests.Sender, TransferFileTests.Receiver, DateTimeOffset.UtcNow, payload);
        var file = Path.Combine(work, "file.bin");
        await File.WriteAllBytesAsync(file, await Serverless.Transfers.Envelope.TransferEnvelope.SealAsync(message, signer, publicKey, CancellationToken.None));

        var (code, _, error) = await OpenAsync(file);

        Assert.Equal(ExitCodes.UntrustedTransferFile, code);
        Assert.StartsWith("REFUSED: a file inside does not match the package's SHA-256", error);
        AssertNothingOpened();
    }

    [Fact]
    public async Task AWrongPassphraseSaysSoAndWritesNothing()
    {
        Assert.Equal(ExitCodes.Ok, (await NewKeyAsync()).ExitCode);
        var file = await SealToKeyAsync(TransferFileTests.Package());
        var wrong = Path.Combine(work, "wrong.txt");
        await File.WriteAllTextAsync(wrong, "ちがう合言葉ちがう合言葉\n");

        var (code, _, error) = await OpenAsync(file, wrong);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"{Path.Combine(Keys, "transfer-key.pem")} could not be opened: wrong passphrase (or not a transfer key). Nothing was written.", error.Trim());
        Assert.False(Directory.Exists(Out));
    }

    [Fact]
    public async Task AnExistingKeyIsNeverOverwritten()
    {
        Assert.Equal(ExitCodes.Ok, (await NewKeyAsync()).ExitCode);
        var before = await File.ReadAllTextAsync(Path.Combine(Keys, "transfer-key.pem"));

        var (code, output, error) = await NewKeyAsync();

        Assert.Equal((ExitCodes.Failure, ""), (code, output));
        Assert.Contains("already holds a transfer key; not overwriting it", error);
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(Keys, "transfer-key.pem")));
    }

    [Theory]
    [InlineData("", "The passphrase is empty. Nothing was written.")]
    [InlineData("こども家庭課の合言葉\n", "The passphrase has 10 characters; it needs at least 12. Nothing was written.")]
    [InlineData("short-11chr", "The passphrase has 11 characters; it needs at least 12. Nothing was written.")]
    public async Task AShortOrEmptyPassphraseIsRefused(string passphrase, string expected)
    {
        var (code, _, error) = await NewKeyAsync(passphrase);

        Assert.Equal((ExitCodes.Usage, expected), (code, error.Trim()));
        Assert.False(Directory.Exists(Keys));
    }

    [Fact]
    public async Task APassphraseIsNeverTakenFromTheCommandLine()
    {
        var (code, _, error) = await OpsTool.RunAsync(null, "transfer-key", "new", "--out", Keys, "--passphrase", GoodPassphrase);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--passphrase", error);
        Assert.False(Directory.Exists(Keys));
    }

    [Fact]
    public async Task AFolderThatIsNotEmptyIsRefused()
    {
        Assert.Equal(ExitCodes.Ok, (await NewKeyAsync()).ExitCode);
        var file = await SealToKeyAsync(TransferFileTests.Package());
        Directory.CreateDirectory(Out);
        await File.WriteAllTextAsync(Path.Combine(Out, "package.json"), "earlier");

        var (code, _, error) = await OpenAsync(file);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("is not empty; give a new folder. Nothing was written.", error);
        Assert.Equal("earlier", await File.ReadAllTextAsync(Path.Combine(Out, "package.json")));
    }

    [Fact]
    public async Task AFileOverTheSizeLimitIsRefusedBeforeReading()
    {
        Assert.Equal(ExitCodes.Ok, (await NewKeyAsync()).ExitCode);
        var file = Path.Combine(work, "file.bin");
        await using (var stream = File.Create(file))
        {
            stream.SetLength(TransferFile.MaxFileBytes + 1); // sparse
        }

        var (code, _, error) = await OpenAsync(file);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.EndsWith($"is {TransferFile.MaxFileBytes + 1} bytes; a transfer file holds at most {512 * 1024 * 1024}.", error.Trim());
        Assert.False(Directory.Exists(Out));
    }

    private void AssertNothingOpened()
    {
        Assert.False(Directory.Exists(Out));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(work), entry => Path.GetFileName(entry).StartsWith(".opened", StringComparison.Ordinal));
    }

    private async Task<(int ExitCode, string Output, string Error)> NewKeyAsync(string passphrase = GoodPassphrase)
    {
        var passphraseFile = Path.Combine(work, "passphrase.txt");
        await File.WriteAllTextAsync(passphraseFile, passphrase, Encoding.UTF8);
        return await OpsTool.RunAsync(null, "transfer-key", "new", "--out", Keys, "--passphrase-file", passphraseFile);
    }

    private Task<(int ExitCode, string Output, string Error)> OpenAsync(string file, string? passphraseFile = null)
    {
        var senderKey = Path.Combine(work, "sender.pub.pem");
        File.WriteAllText(senderKey, sender.SigningPublicPem);
        return OpsTool.RunAsync(
            null, "transfer-file", "open", "--file", file, "--key", Path.Combine(Keys, "transfer-key.pem"), "--sender-key", senderKey, "--out", Out,
            "--passphrase-file", passphraseFile ?? Path.Combine(work, "passphrase.txt"));
    }

    private RSA PublicKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(Keys, "transfer-key.pub.pem")));
        return rsa;
    }

    private async Task<string> SealToKeyAsync(TransferPackage package, string? signingPem = null)
    {
        using var publicKey = PublicKey();
        var file = Path.Combine(work, "file.bin");
        await File.WriteAllBytesAsync(file, await TransferFileTests.WriteAsync(signingPem ?? sender.SigningPrivatePem, publicKey, package));
        return file;
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Serverless.Backup;
using Serverless.Cases;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Files;
using Serverless.Transfers.Packages;

namespace Serverless.Tests.Transfers;

/// <summary>
/// The export file for a receiver without this system: the transfer envelope with the kind <c>package-file</c> and the
/// package and its files as payload. It opens only with the receiver's key and the sender's signature, only when every
/// file matches the package, and an intake never reads it.
/// </summary>
public sealed class TransferFileTests
{
    public const string Sender = "372030";
    public const string Receiver = "131016";

    private static readonly DateTimeOffset Created = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    public static readonly byte[] Photo = Encoding.UTF8.GetBytes("写真のかわりのバイト列");
    public static readonly byte[] Report = [.. Enumerable.Range(0, 5000).Select(i => (byte)i)];

    public static TransferPackage Package(string photoName = "家庭訪問の写真.jpg", string reportName = "報告書（学校）.pdf") => new(
        TransferPackage.CurrentSchemaVersion,
        "c-0123456789abcdef",
        new TransferCaseRecord(CaseCategory.RequiringProtection, CaseStatus.Accepted, [AbuseType.Neglect], [], RiskLevel: RiskLevel.High,
            Child: new Person { Name = new PersonName { Family = "山田", Given = "花子" } }),
        [
            new TransferTimelineEntry("e-1", "report", Created, JsonSerializer.SerializeToElement(new { text = "欠席が続いている" }),
                [new TransferFileReference("f-1", photoName, "image/jpeg", Photo.Length, Sha256(Photo))]),
            new TransferTimelineEntry("e-2", "report", Created, JsonSerializer.SerializeToElement(new { text = "学校からの報告" }),
                [new TransferFileReference("f-2", reportName, "application/pdf", Report.Length, Sha256(Report))]),
        ],
        LocationSecrecy: true,
        ReferrerSecrecy: false);

    public static IReadOnlyList<TransferFileContent> Files() => [new("f-1", Photo), new("f-2", Report)];

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<byte[]> WriteAsync(string senderSigningPem, RSA receiverKey, TransferPackage? package = null, IReadOnlyList<TransferFileContent>? files = null)
    {
        using var signer = new PemManifestSigner(senderSigningPem, "test");
        var (_, bytes) = await TransferFile.WriteAsync(package ?? Package(), files ?? Files(), Sender, Receiver, Created, signer, receiverKey, CancellationToken.None);
        return bytes;
    }

    /// <summary>A file whose container the sender signed as given, bypassing the writer's own checks: what a faulty or hostile sender could make.</summary>
    private static async Task<byte[]> SealRawAsync(TestTransferKeys sender, TestTransferKeys receiver, byte[] payload, string kind = TransferMessageKind.PackageFile)
    {
        using var signer = new PemManifestSigner(sender.SigningPrivatePem, "test");
        var message = new TransferMessage(kind, TransferIds.NewMessageId(), Sender, Receiver, Created, payload);
        return await TransferEnvelope.SealAsync(message, signer, receiver.Encryption, CancellationToken.None);
    }

    [Fact]
    public async Task TheReceiverOpensThePackageAndEveryFileTheSenderSealed()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();

        var bytes = await WriteAsync(sender.SigningPrivatePem, receiver.Encryption);
        var opened = TransferFile.Open(bytes, receiver.Encryption, sender.Signing);

        Assert.Equal((Sender, Receiver, Created), (opened.SenderCode, opened.ReceiverCode, opened.CreatedAt));
        Assert.True(TransferIds.IsMessageId(opened.MessageId));
        Assert.Equal(Package().ToJson(), opened.PackageJson);
        Assert.Equal("家庭訪問の写真.jpg", opened.Package.Timeline[0].Files[0].FileName);
        Assert.Equal(["f-1", "f-2"], opened.Files.Select(file => file.FileId));
        Assert.Equal(Photo, opened.Files[0].Content);
        Assert.Equal(Report, opened.Files[1].Content);
        Assert.Equal(-1, bytes.AsSpan().IndexOf("山田"u8)); // encrypted
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Photo));
    }

    [Fact]
    public async Task AnIntakeNeverReadsAnExportFile()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var bytes = await WriteAsync(sender.SigningPrivatePem, receiver.Encryption);

        Assert.False(TransferMessageKind.IsKnown(TransferMessageKind.PackageFile));
        Assert.Equal(TransferEnvelopeFailure.Malformed, Assert.Throws<TransferEnvelopeException>(() => TransferEnvelope.ReadRouting(bytes)).Failure);
        Assert.Equal(TransferEnvelopeFailure.Malformed, Assert.Throws<TransferEnvelopeException>(() => TransferEnvelope.Open(bytes, Receiver, receiver.Encryption, sender.Signing)).Failure);
    }

    [Fact]
    public async Task APackageMessageIsNotAnExportFile()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var payload = TransferFileContainer.Write(Package().ToJson(), Files());
        var package = await SealRawAsync(sender, receiver, payload, TransferMessageKind.Package);

        var refused = Assert.Throws<TransferFileException>(() => TransferFile.Open(package, receiver.Encryption, sender.Signing));

        Assert.Equal(TransferFileFailure.Malformed, refused.Failure);
    }

    [Fact]
    public async Task AnyChangedByteIsRefused()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var bytes = await WriteAsync(sender.SigningPrivatePem, receiver.Encryption);

        foreach (var offset in new[] { bytes.Length - 1, bytes.Length - Report.Length / 2, bytes.Length - Report.Length - 20 })
        {
            var tampered = (byte[])bytes.Clone();
            tampered[offset] ^= 0x20;
            var refused = Assert.Throws<TransferFileException>(() => TransferFile.Open(tampered, receiver.Encryption, sender.Signing));
            Assert.Equal(TransferFileFailure.Undecryptable, refused.Failure);
        }
    }

    [Fact]
    public async Task AFileForAnotherKeyIsRefused()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        using var other = new TestTransferKeys();
        var bytes = await WriteAsync(sender.SigningPrivatePem, other.Encryption);

        var refused = Assert.Throws<TransferFileException>(() => TransferFile.Open(bytes, receiver.Encryption, sender.Signing));

        Assert.Equal(TransferFileFailure.Undecryptable, refused.Failure);
    }

    [Fact]
    public async Task AFileSignedByAnotherKeyThanTheConfirmedSendersIsRefused()
    {
        using var sender = new TestTransferKeys();
        using var impostor = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var bytes = await WriteAsync(impostor.SigningPrivatePem, receiver.Encryption);

        var refused = Assert.Throws<TransferFileException>(() => TransferFile.Open(bytes, receiver.Encryption, sender.Signing));

        Assert.Equal(TransferFileFailure.BadSignature, refused.Failure);
    }

    [Fact]
    public async Task AFileWhoseBytesDifferFromThePackagesHashIsRefusedEvenWhenSigned()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var changedReport = (byte[])Report.Clone();
        changedReport[10] ^= 0x01; // same length, other SHA-256
        var payload = TransferFileContainer.Write(Package().ToJson(), [new("f-1", Photo), new("f-2", changedReport)]);
        var bytes = await SealRawAsync(sender, receiver, payload);

        var refused = Assert.Throws<TransferFileException>(() => TransferFile.Open(bytes, receiver.Encryption, sender.Signing));

        Assert.Equal(TransferFileFailure.FileMismatch, refused.Failure);
        Assert.Equal("File f-2 is not the file the package names: its length or SHA-256 differs.", refused.Message);
    }

    [Theory]
    [InlineData("missing", "File f-2 named by the package is not carried.")]
    [InlineData("extra", "File f-3 is not named by the package.")]
    [InlineData("twice", "File f-1 is carried twice.")]
    public async Task AMissingExtraOrRepeatedFileIsRefused(string change, string expected)
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        IReadOnlyList<TransferFileContent> files = change switch
        {
            "missing" => [new("f-1", Photo)],
            "extra" => [.. Files(), new("f-3", Photo)],
            _ => [new("f-1", Photo), new("f-1", Photo), new("f-2", Report)],
        };
        var bytes = await SealRawAsync(sender, receiver, TransferFileContainer.Write(Package().ToJson(), files));

        var refused = Assert.Throws<TransferFileException>(() => TransferFile.Open(bytes, receiver.Encryption, sender.Signing));

        Assert.Equal((TransferFileFailure.FileMismatch, expected), (refused.Failure, refused.Message));
    }

    [Fact]
    public async Task TheWriterRefusesFilesThatDoNotMatchThePackageAndShortKeys()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        using var shortKey = RSA.Create(2048);

        var mismatch = await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(sender.SigningPrivatePem, receiver.Encryption, files: [new("f-1", Report), new("f-2", Report)]));
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(sender.SigningPrivatePem, receiver.Encryption, files: [new("f-1", Photo)]));
        var tooShort = await Assert.ThrowsAsync<ArgumentException>(() => WriteAsync(sender.SigningPrivatePem, shortKey));

        Assert.StartsWith("File f-1 is not the file the package names", mismatch.Message);
        Assert.StartsWith("File f-2 named by the package is not carried.", missing.Message);
        Assert.StartsWith("The receiver's key has 2048 bits", tooShort.Message);
    }

    [Fact]
    public async Task AContainerClaimingMoreThanTheFileLimitIsRefused()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var payload = TransferFileContainer.Write(Package().ToJson(), []);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(payload.Length - 4), TransferFile.MaxFiles + 1);
        var bytes = await SealRawAsync(sender, receiver, payload);

        var refused = Assert.Throws<TransferFileException>(() => TransferFile.Open(bytes, receiver.Encryption, sender.Signing));

        Assert.Equal(TransferFileFailure.TooLarge, refused.Failure);
        Assert.Equal(10_000, TransferFile.MaxFiles);
    }

    [Fact]
    public async Task ATruncatedOrPaddedContainerIsMalformed()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var payload = TransferFileContainer.Write(Package().ToJson(), Files());

        foreach (var changed in new byte[][] { payload[..^1], [.. payload, 0], payload[..20] })
        {
            var bytes = await SealRawAsync(sender, receiver, changed);
            var refused = Assert.Throws<TransferFileException>(() => TransferFile.Open(bytes, receiver.Encryption, sender.Signing));
            Assert.Equal(TransferFileFailure.Malformed, refused.Failure);
        }
    }

    [Fact]
    public void SomethingElseIsMalformed()
    {
        using var receiver = new TestTransferKeys();

        var refused = Assert.Throws<TransferFileException>(() => TransferFile.Open("PK\u0003\u0004 not a transfer file"u8, receiver.Encryption, receiver.Signing));

        Assert.Equal(TransferFileFailure.Malformed, refused.Failure);
    }
}

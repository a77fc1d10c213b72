using System.Text;
using System.Text.Json;
using Serverless.Backup;
using Serverless.Transfers.Envelope;

namespace Serverless.Tests.Transfers;

/// <summary>
/// Sign then encrypt, with the routing bound into both: only the addressed council opens a package, and only when
/// nothing was changed and the sender's key signed it.
/// </summary>
public sealed class TransferEnvelopeTests
{
    private const string Sender = "372030";   // a valid code (check digit 0)
    private const string Receiver = "131016"; // 千代田区
    private const string Other = "132012";

    private static readonly DateTimeOffset Created = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private static TransferMessage Message(string receiver = Receiver, string? id = null)
        => new(TransferMessageKind.Package, id ?? TransferIds.NewMessageId(), Sender, receiver, Created, Encoding.UTF8.GetBytes("""{"case":"移管の検証"}"""));

    private static async Task<byte[]> SealAsync(TestTransferKeys sender, TestTransferKeys receiver, TransferMessage message)
    {
        using var signer = new PemManifestSigner(sender.SigningPrivatePem, "test");
        return await TransferEnvelope.SealAsync(message, signer, receiver.Encryption, CancellationToken.None);
    }

    [Fact]
    public void MunicipalityCodesUsedHereAreValid()
        => Assert.All(new[] { Sender, Receiver, Other }, code => Assert.True(Serverless.Transfers.Partners.MunicipalityCode.IsValid(code), code));

    [Fact]
    public async Task TheAddressedCouncilOpensWhatTheSenderSealed()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var message = Message();

        var sealedMessage = await SealAsync(sender, receiver, message);
        var opened = TransferEnvelope.Open(sealedMessage, Receiver, receiver.Encryption, sender.Signing);

        Assert.Equal((message.Kind, message.MessageId, Sender, Receiver, Created), (opened.Kind, opened.MessageId, opened.SenderCode, opened.ReceiverCode, opened.CreatedAt));
        Assert.Equal(message.Payload, opened.Payload);
        Assert.Equal(new TransferRouting(TransferMessageKind.Package, message.MessageId, Sender, Receiver), TransferEnvelope.ReadRouting(sealedMessage));
        Assert.Equal(-1, sealedMessage.AsSpan().IndexOf("移管の検証"u8)); // the payload travels encrypted
    }

    [Fact]
    public async Task APackageForAnotherReceiverIsRefusedBeforeDecrypting()
    {
        using var sender = new TestTransferKeys();
        using var other = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var sealedMessage = await SealAsync(sender, other, Message(receiver: Other));

        var refused = Assert.Throws<TransferEnvelopeException>(() => TransferEnvelope.Open(sealedMessage, Receiver, receiver.Encryption, sender.Signing));

        Assert.Equal(TransferEnvelopeFailure.NotForUs, refused.Failure);
    }

    [Fact]
    public async Task APackageReaddressedToUsFailsTheEncryption()
    {
        using var sender = new TestTransferKeys();
        using var other = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var sealedMessage = await SealAsync(sender, other, Message(receiver: Other));

        var readdressed = Replace(sealedMessage, Other, Receiver);
        var refused = Assert.Throws<TransferEnvelopeException>(() => TransferEnvelope.Open(readdressed, Receiver, receiver.Encryption, sender.Signing));

        Assert.Equal(Receiver, TransferEnvelope.ReadRouting(readdressed).ReceiverCode);
        Assert.Equal(TransferEnvelopeFailure.Undecryptable, refused.Failure);
    }

    [Fact]
    public async Task AnotherMessageIdInTheRoutingFailsTheAssociatedData()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var message = Message();
        var sealedMessage = await SealAsync(sender, receiver, message);

        var renamed = Replace(sealedMessage, message.MessageId, TransferIds.NewMessageId());
        var refused = Assert.Throws<TransferEnvelopeException>(() => TransferEnvelope.Open(renamed, Receiver, receiver.Encryption, sender.Signing));

        Assert.Equal(TransferEnvelopeFailure.Undecryptable, refused.Failure);
    }

    [Fact]
    public async Task AnyChangedByteOfTheCiphertextIsRefused()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var sealedMessage = await SealAsync(sender, receiver, Message());

        foreach (var offset in new[] { sealedMessage.Length - 1, sealedMessage.Length - 40, sealedMessage.Length / 2 })
        {
            var tampered = (byte[])sealedMessage.Clone();
            tampered[offset] ^= 0x01;
            var refused = Assert.Throws<TransferEnvelopeException>(() => TransferEnvelope.Open(tampered, Receiver, receiver.Encryption, sender.Signing));
            Assert.Equal(TransferEnvelopeFailure.Undecryptable, refused.Failure);
        }
    }

    [Fact]
    public async Task AMessageSignedByAnotherKeyIsRefused()
    {
        using var sender = new TestTransferKeys();
        using var impostor = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var sealedMessage = await SealAsync(impostor, receiver, Message());

        var refused = Assert.Throws<TransferEnvelopeException>(() => TransferEnvelope.Open(sealedMessage, Receiver, receiver.Encryption, sender.Signing));

        Assert.Equal(TransferEnvelopeFailure.BadSignature, refused.Failure);
    }

    [Fact]
    public void SomethingElseIsMalformed()
    {
        using var receiver = new TestTransferKeys();

        var refused = Assert.Throws<TransferEnvelopeException>(() => TransferEnvelope.Open("not a package"u8, Receiver, receiver.Encryption, receiver.Signing));

        Assert.Equal(TransferEnvelopeFailure.Malformed, refused.Failure);
    }

    private static byte[] Replace(byte[] bytes, string from, string to)
    {
        var routing = TransferEnvelope.ReadRouting(bytes);
        var json = JsonSerializer.SerializeToUtf8Bytes(routing, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace(from, to, StringComparison.Ordinal));
        Assert.Equal(json.Length, changed.Length);
        var index = bytes.AsSpan().IndexOf(json);
        Assert.True(index > 0);
        var copy = (byte[])bytes.Clone();
        changed.CopyTo(copy, index);
        return copy;
    }
}

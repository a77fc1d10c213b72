using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Serverless.Backup;
using Serverless.Storage;
using Serverless.Transfers.Envelope;
using Serverless.Transfers.Identity;

namespace Serverless.Tests.Transfers;

/// <summary>
/// Opening through an <see cref="IKeyUnwrapper"/> (the intake's path): locally the PEM key, in Azure Key Vault's
/// <c>unwrapKey</c>. Only the wrapped message key goes to the unwrapper; a key it cannot unwrap is Undecryptable.
/// </summary>
public sealed class TransferUnwrapTests
{
    private const string Sender = "372030";
    private const string Receiver = "131016";

    [Fact]
    public async Task TheConfiguredPemKeyOpensThroughItsUnwrapperWithOneUnwrapPerMessage()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        var message = Message();
        var sealedMessage = await SealAsync(sender, receiver, message);
        using var configured = new TransferDecryptionKey(Options.Create(new TransferOptions { DecryptionKeyPem = receiver.EncryptionPrivatePem }), Options.Create(new StorageOptions()));
        var recording = new RecordingUnwrapper(Assert.IsType<RsaKeyUnwrapper>(configured.Unwrapper));

        var opened = await TransferEnvelope.OpenAsync(sealedMessage, Receiver, recording, sender.Signing, CancellationToken.None);

        Assert.Equal((message.MessageId, Sender, Receiver), (opened.MessageId, opened.SenderCode, opened.ReceiverCode));
        Assert.Equal(message.Payload, opened.Payload);
        var wrapped = Assert.Single(recording.Wrapped);
        Assert.Equal(3072 / 8, wrapped.Length); // only the RSA-wrapped AES key goes to the unwrapper (in Azure: the vault)
        using var publicKey = await configured.PublicKeyAsync(CancellationToken.None);
        Assert.Equal(receiver.EncryptionFingerprint, Serverless.Transfers.Keys.KeyFingerprint.Of(publicKey!));
    }

    [Fact]
    public async Task AnotherKeyAChangedByteOrAnUnwrapperThatRefusesIsUndecryptable()
    {
        using var sender = new TestTransferKeys();
        using var receiver = new TestTransferKeys();
        using var other = new TestTransferKeys();
        var sealedMessage = await SealAsync(sender, receiver, Message());
        var changed = sealedMessage.ToArray();
        changed[^10] ^= 0x01;

        var wrongKey = await Assert.ThrowsAsync<TransferEnvelopeException>(() => TransferEnvelope.OpenAsync(sealedMessage, Receiver, new RsaKeyUnwrapper(other.Encryption), sender.Signing, CancellationToken.None));
        var changedByte = await Assert.ThrowsAsync<TransferEnvelopeException>(() => TransferEnvelope.OpenAsync(changed, Receiver, new RsaKeyUnwrapper(receiver.Encryption), sender.Signing, CancellationToken.None));
        var refusing = await Assert.ThrowsAsync<TransferEnvelopeException>(() => TransferEnvelope.OpenAsync(sealedMessage, Receiver, new RefusingUnwrapper(), sender.Signing, CancellationToken.None));
        var notOurs = await Assert.ThrowsAsync<TransferEnvelopeException>(() => TransferEnvelope.OpenAsync(sealedMessage, "132012", new RsaKeyUnwrapper(receiver.Encryption), sender.Signing, CancellationToken.None));

        Assert.Equal(
            [TransferEnvelopeFailure.Undecryptable, TransferEnvelopeFailure.Undecryptable, TransferEnvelopeFailure.Undecryptable, TransferEnvelopeFailure.NotForUs],
            new[] { wrongKey.Failure, changedByte.Failure, refusing.Failure, notOurs.Failure });
    }

    [Fact]
    public void NeitherKeyConfiguredHasNoUnwrapper()
    {
        using var none = new TransferDecryptionKey(Options.Create(new TransferOptions()), Options.Create(new StorageOptions()));

        Assert.Null(none.Unwrapper);
    }

    private static TransferMessage Message()
        => new(TransferMessageKind.Package, TransferIds.NewMessageId(), Sender, Receiver, new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero), Encoding.UTF8.GetBytes("""{"case":"鍵の検証"}"""));

    private static async Task<byte[]> SealAsync(TestTransferKeys sender, TestTransferKeys receiver, TransferMessage message)
    {
        using var signer = new PemManifestSigner(sender.SigningPrivatePem, "test");
        return await TransferEnvelope.SealAsync(message, signer, receiver.Encryption, CancellationToken.None);
    }

    private sealed class RecordingUnwrapper(IKeyUnwrapper inner) : IKeyUnwrapper
    {
        public List<byte[]> Wrapped { get; } = [];

        public Task<byte[]?> UnwrapAsync(byte[] wrappedKey, CancellationToken cancellationToken)
        {
            Wrapped.Add(wrappedKey);
            return inner.UnwrapAsync(wrappedKey, cancellationToken);
        }
    }

    /// <summary>As Key Vault answers 400 for a key it cannot unwrap.</summary>
    private sealed class RefusingUnwrapper : IKeyUnwrapper
    {
        public Task<byte[]?> UnwrapAsync(byte[] wrappedKey, CancellationToken cancellationToken) => Task.FromResult<byte[]?>(null);
    }
}

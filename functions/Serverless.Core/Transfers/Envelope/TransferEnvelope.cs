using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using Serverless.Backup;

namespace Serverless.Transfers.Envelope;

/// <summary>
/// Seals a <see cref="TransferMessage"/> for one receiver: signed with the sender's key (a P-256 key through
/// <see cref="IManifestSigner"/>: a PEM key locally, a Key Vault key's <c>sign</c> in Azure), then encrypted to the
/// receiver's RSA key (<see cref="HybridEnvelope"/>, as backups are). Sign then encrypt:
/// <list type="bullet">
/// <item>the signed bytes hold the kind, message id, sender code, receiver code and creation time, then the payload,
/// so a signature cannot be lifted onto another message or another receiver;</item>
/// <item>the clear routing (kind, id, codes) in front of the ciphertext is the AES-GCM associated data, so a package
/// re-addressed to another receiver, or given another id, fails to decrypt;</item>
/// <item>after decrypting, the signed header must name exactly what the routing named.</item>
/// </list>
/// Layout: <c>"SVTRMSG1"</c>, the routing's length (2 bytes, big-endian), the routing (JSON), then the hybrid envelope
/// (<c>"SVTRPKG1"</c>…) whose plaintext is the signed bytes' length (4 bytes), the signed bytes and the signature (JSON).
/// </summary>
internal static class TransferEnvelope
{
    public const int MaxRoutingBytes = 1024;

    private static readonly byte[] Magic = "SVTRMSG1"u8.ToArray();
    private static readonly byte[] InnerMagic = "SVTRPKG1"u8.ToArray();
    private static readonly byte[] SignedMagic = "SVTRSIG1"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<byte[]> SealAsync(TransferMessage message, IManifestSigner signer, RSA receiverKey, CancellationToken cancellationToken)
    {
        var signed = SignedBytes(message);
        var signature = await signer.SignAsync(signed, cancellationToken);
        var signatureJson = signature.ToJson();
        var inner = new byte[4 + signed.Length + signatureJson.Length];
        BinaryPrimitives.WriteUInt32BigEndian(inner, checked((uint)signed.Length));
        signed.CopyTo(inner, 4);
        signatureJson.CopyTo(inner, 4 + signed.Length);

        var prefix = Prefix(new TransferRouting(message.Kind, message.MessageId, message.SenderCode, message.ReceiverCode));
        return [.. prefix, .. HybridEnvelope.Encrypt(receiverKey, inner, InnerMagic, prefix)];
    }

    /// <summary>The routing of a sealed message, read without any key: throws <see cref="TransferEnvelopeException"/> (Malformed).</summary>
    /// <remarks>Only the kinds two systems exchange (<see cref="TransferMessageKind.IsKnown"/>): an export file's routing is malformed here.</remarks>
    public static TransferRouting ReadRouting(ReadOnlySpan<byte> sealedMessage) => ParseRouting(sealedMessage, TransferMessageKind.IsKnown, out _);

    /// <summary>
    /// Opens a message addressed to <paramref name="ownCode"/>, decrypting with <paramref name="ownKey"/> and checking the
    /// signature with <paramref name="senderKey"/> (the confirmed partner named as sender in the routing).
    /// </summary>
    /// <remarks>Only the kinds two systems exchange (<see cref="TransferMessageKind.IsKnown"/>): an export file is malformed here.</remarks>
    public static TransferMessage Open(ReadOnlySpan<byte> sealedMessage, string ownCode, RSA ownKey, ECDsa senderKey)
        => Open(sealedMessage, ownCode, ownKey, senderKey, TransferMessageKind.IsKnown);

    /// <summary>
    /// Opens an export file (<see cref="TransferMessageKind.PackageFile"/>, and only that kind). The receiver does not
    /// run this system and has no own code configured: the key that decrypts it is what makes it theirs.
    /// </summary>
    internal static TransferMessage OpenExportFile(ReadOnlySpan<byte> sealedMessage, RSA ownKey, ECDsa senderKey)
        => Open(sealedMessage, ownCode: null, ownKey, senderKey, kind => kind == TransferMessageKind.PackageFile);

    private static TransferMessage Open(ReadOnlySpan<byte> sealedMessage, string? ownCode, RSA ownKey, ECDsa senderKey, Func<string?, bool> acceptKind)
    {
        var routing = ParseRouting(sealedMessage, acceptKind, out var prefixLength);
        if (ownCode is not null && routing.ReceiverCode != ownCode)
        {
            throw new TransferEnvelopeException(TransferEnvelopeFailure.NotForUs, "The message is addressed to another council.");
        }

        var inner = HybridEnvelope.Decrypt(ownKey, sealedMessage[prefixLength..], InnerMagic, sealedMessage[..prefixLength], out _);
        return Verified(inner, routing, senderKey);
    }

    /// <summary>
    /// As <see cref="Open(ReadOnlySpan{byte}, string, RSA, ECDsa)"/>, the message key unwrapped by
    /// <paramref name="unwrapper"/>: a local key, or Key Vault's <c>unwrapKey</c> in Azure (the intake's path).
    /// </summary>
    public static async Task<TransferMessage> OpenAsync(ReadOnlyMemory<byte> sealedMessage, string ownCode, IKeyUnwrapper unwrapper, ECDsa senderKey, CancellationToken cancellationToken)
    {
        var routing = ParseRouting(sealedMessage.Span, TransferMessageKind.IsKnown, out var prefixLength);
        if (routing.ReceiverCode != ownCode)
        {
            throw new TransferEnvelopeException(TransferEnvelopeFailure.NotForUs, "The message is addressed to another council.");
        }

        var (inner, _) = await HybridEnvelope.DecryptAsync(unwrapper, sealedMessage[prefixLength..], InnerMagic, sealedMessage[..prefixLength], cancellationToken);
        return Verified(inner, routing, senderKey);
    }

    /// <summary>The signed message inside <paramref name="inner"/> (null: it did not decrypt), checked against the sender's
    /// key and the routing.</summary>
    private static TransferMessage Verified(byte[]? inner, TransferRouting routing, ECDsa senderKey)
    {
        if (inner is null)
        {
            throw new TransferEnvelopeException(TransferEnvelopeFailure.Undecryptable, "The message cannot be decrypted with this council's key: it was changed, or encrypted for another council.");
        }

        if (inner.Length < 4 || BinaryPrimitives.ReadUInt32BigEndian(inner) is var signedLength && signedLength > inner.Length - 4)
        {
            throw new TransferEnvelopeException(TransferEnvelopeFailure.Malformed, "The decrypted message is malformed.");
        }

        var signed = inner.AsSpan(4, (int)signedLength).ToArray();
        var signature = ManifestSignature.Parse(inner[(4 + (int)signedLength)..]);
        if (signature is null || !signature.Verifies(senderKey, signed))
        {
            throw new TransferEnvelopeException(TransferEnvelopeFailure.BadSignature, "The signature is not the sending council's.");
        }

        var message = ParseSigned(signed);
        if (message.Kind != routing.Kind || message.MessageId != routing.MessageId || message.SenderCode != routing.SenderCode || message.ReceiverCode != routing.ReceiverCode)
        {
            throw new TransferEnvelopeException(TransferEnvelopeFailure.BadSignature, "What was signed does not match the message's routing.");
        }

        return message;
    }

    private static byte[] Prefix(TransferRouting routing)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(routing, Json);
        if (json.Length > MaxRoutingBytes)
        {
            throw new ArgumentException("The routing is too long.", nameof(routing));
        }

        var prefix = new byte[Magic.Length + 2 + json.Length];
        Magic.CopyTo(prefix, 0);
        BinaryPrimitives.WriteUInt16BigEndian(prefix.AsSpan(Magic.Length, 2), (ushort)json.Length);
        json.CopyTo(prefix, Magic.Length + 2);
        return prefix;
    }

    private static TransferRouting ParseRouting(ReadOnlySpan<byte> sealedMessage, Func<string?, bool> acceptKind, out int prefixLength)
    {
        prefixLength = 0;
        if (sealedMessage.Length < Magic.Length + 2 || !sealedMessage[..Magic.Length].SequenceEqual(Magic))
        {
            throw Malformed();
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(sealedMessage.Slice(Magic.Length, 2));
        if (length > MaxRoutingBytes || sealedMessage.Length < Magic.Length + 2 + length)
        {
            throw Malformed();
        }

        TransferRouting? routing;
        try
        {
            routing = JsonSerializer.Deserialize<TransferRouting>(sealedMessage.Slice(Magic.Length + 2, length), Json);
        }
        catch (JsonException)
        {
            throw Malformed();
        }

        if (routing is null || !acceptKind(routing.Kind) || !TransferIds.IsMessageId(routing.MessageId)
            || !Partners.MunicipalityCode.IsValid(routing.SenderCode) || !Partners.MunicipalityCode.IsValid(routing.ReceiverCode))
        {
            throw Malformed();
        }

        prefixLength = Magic.Length + 2 + length;
        return routing;
    }

    private static byte[] SignedBytes(TransferMessage message)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new SignedHeader(message.Kind, message.MessageId, message.SenderCode, message.ReceiverCode, message.CreatedAt), Json);
        var signed = new byte[SignedMagic.Length + 4 + header.Length + message.Payload.Length];
        SignedMagic.CopyTo(signed, 0);
        BinaryPrimitives.WriteUInt32BigEndian(signed.AsSpan(SignedMagic.Length, 4), (uint)header.Length);
        header.CopyTo(signed, SignedMagic.Length + 4);
        message.Payload.CopyTo(signed, SignedMagic.Length + 4 + header.Length);
        return signed;
    }

    private static TransferMessage ParseSigned(byte[] signed)
    {
        if (signed.Length < SignedMagic.Length + 4 || !signed.AsSpan(0, SignedMagic.Length).SequenceEqual(SignedMagic))
        {
            throw Malformed();
        }

        var headerLength = BinaryPrimitives.ReadUInt32BigEndian(signed.AsSpan(SignedMagic.Length, 4));
        if (headerLength > signed.Length - SignedMagic.Length - 4)
        {
            throw Malformed();
        }

        var header = JsonSerializer.Deserialize<SignedHeader>(signed.AsSpan(SignedMagic.Length + 4, (int)headerLength), Json) ?? throw Malformed();
        return new TransferMessage(header.Kind, header.MessageId, header.SenderCode, header.ReceiverCode, header.CreatedAt, signed[(SignedMagic.Length + 4 + (int)headerLength)..]);
    }

    private static TransferEnvelopeException Malformed() => new(TransferEnvelopeFailure.Malformed, "Not a sealed transfer message, or truncated.");

    private sealed record SignedHeader(string Kind, string MessageId, string SenderCode, string ReceiverCode, DateTimeOffset CreatedAt);
}

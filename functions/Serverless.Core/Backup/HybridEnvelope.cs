using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Serverless.Backup;

/// <summary>
/// The encryption backup files and transfer packages share: a fresh random AES-256-GCM key per message, wrapped
/// with RSA-OAEP-SHA256 for the recipient's public key. Layout: the caller's 8-byte magic, the wrapped key's length
/// (2 bytes, big-endian), the wrapped key, the 12-byte nonce, the 16-byte tag, then the ciphertext. The header and
/// the caller's context bytes are the associated data, so a message cannot be moved to another context unnoticed.
/// </summary>
internal static class HybridEnvelope
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public static byte[] Encrypt(RSA recipient, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> magic, ReadOnlySpan<byte> context)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        try
        {
            var wrapped = recipient.Encrypt(key, RSAEncryptionPadding.OaepSHA256);
            var headerLength = magic.Length + 2 + wrapped.Length + NonceSize;
            var file = new byte[headerLength + TagSize + plaintext.Length];
            magic.CopyTo(file);
            BinaryPrimitives.WriteUInt16BigEndian(file.AsSpan(magic.Length, 2), checked((ushort)wrapped.Length));
            wrapped.CopyTo(file, magic.Length + 2);
            var nonce = file.AsSpan(magic.Length + 2 + wrapped.Length, NonceSize);
            RandomNumberGenerator.Fill(nonce);

            using var aes = new AesGcm(key, TagSize);
            aes.Encrypt(nonce, plaintext, file.AsSpan(headerLength + TagSize), file.AsSpan(headerLength, TagSize), [.. file.AsSpan(0, headerLength), .. context]);
            return file;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The plaintext, or the reason there is none (no plaintext ever comes out of a changed message).</summary>
    public static byte[]? Decrypt(RSA privateKey, ReadOnlySpan<byte> file, ReadOnlySpan<byte> magic, ReadOnlySpan<byte> context, out HybridFailure failure)
    {
        if (!TryReadHeader(file, magic, out var wrappedLength, out failure))
        {
            return null;
        }

        byte[] key;
        try
        {
            key = privateKey.Decrypt(file.Slice(magic.Length + 2, wrappedLength).ToArray(), RSAEncryptionPadding.OaepSHA256);
        }
        catch (CryptographicException)
        {
            failure = HybridFailure.WrongKey;
            return null;
        }

        return DecryptWith(key, file, magic.Length, wrappedLength, context, out failure);
    }

    /// <summary>
    /// As <see cref="Decrypt"/>, the message key unwrapped by <paramref name="unwrapper"/> (a local key, or Key Vault's
    /// <c>unwrapKey</c>, so the private key need not be here).
    /// </summary>
    public static async Task<(byte[]? Plaintext, HybridFailure Failure)> DecryptAsync(IKeyUnwrapper unwrapper, ReadOnlyMemory<byte> file, ReadOnlyMemory<byte> magic, ReadOnlyMemory<byte> context, CancellationToken cancellationToken)
    {
        if (!TryReadHeader(file.Span, magic.Span, out var wrappedLength, out var failure))
        {
            return (null, failure);
        }

        var key = await unwrapper.UnwrapAsync(file.Slice(magic.Length + 2, wrappedLength).ToArray(), cancellationToken);
        if (key is null)
        {
            return (null, HybridFailure.WrongKey);
        }

        var plaintext = DecryptWith(key, file.Span, magic.Length, wrappedLength, context.Span, out failure);
        return (plaintext, failure);
    }

    private static bool TryReadHeader(ReadOnlySpan<byte> file, ReadOnlySpan<byte> magic, out int wrappedLength, out HybridFailure failure)
    {
        failure = HybridFailure.None;
        wrappedLength = 0;
        if (file.Length < magic.Length + 2 || !file[..magic.Length].SequenceEqual(magic))
        {
            failure = HybridFailure.NotThisFormat;
            return false;
        }

        wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(file.Slice(magic.Length, 2));
        if (file.Length < magic.Length + 2 + wrappedLength + NonceSize + TagSize)
        {
            failure = HybridFailure.Truncated;
            return false;
        }

        return true;
    }

    /// <summary>The AES-GCM step with the unwrapped <paramref name="key"/>, which is zeroed afterwards.</summary>
    private static byte[]? DecryptWith(byte[] key, ReadOnlySpan<byte> file, int magicLength, int wrappedLength, ReadOnlySpan<byte> context, out HybridFailure failure)
    {
        failure = HybridFailure.None;
        var headerLength = magicLength + 2 + wrappedLength + NonceSize;
        try
        {
            if (key.Length != 32)
            {
                failure = HybridFailure.WrongKey;
                return null;
            }

            var plaintext = new byte[file.Length - headerLength - TagSize];
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(file.Slice(magicLength + 2 + wrappedLength, NonceSize), file[(headerLength + TagSize)..], file.Slice(headerLength, TagSize), plaintext, [.. file[..headerLength], .. context]);
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            failure = HybridFailure.Changed;
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

internal enum HybridFailure
{
    None,
    NotThisFormat,
    Truncated,

    /// <summary>The private key cannot unwrap the message key: another recipient's message, or a changed one.</summary>
    WrongKey,

    /// <summary>The AES-GCM tag does not verify: the message or its context was changed.</summary>
    Changed,
}

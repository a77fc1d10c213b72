using System.Security.Cryptography;

namespace Serverless.Tests.Transfers;

/// <summary>Fresh key pairs for a test council: RSA-3072 to encrypt to, P-256 to sign with.</summary>
internal sealed class TestTransferKeys : IDisposable
{
    public RSA Encryption { get; } = RSA.Create(3072);

    public ECDsa Signing { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string EncryptionPublicPem => PemEncoding.WriteString("PUBLIC KEY", Encryption.ExportSubjectPublicKeyInfo());

    public string SigningPublicPem => PemEncoding.WriteString("PUBLIC KEY", Signing.ExportSubjectPublicKeyInfo());

    public string EncryptionPrivatePem => PemEncoding.WriteString("PRIVATE KEY", Encryption.ExportPkcs8PrivateKey());

    public string SigningPrivatePem => PemEncoding.WriteString("PRIVATE KEY", Signing.ExportPkcs8PrivateKey());

    public string EncryptionFingerprint => Convert.ToHexStringLower(SHA256.HashData(Encryption.ExportSubjectPublicKeyInfo()));

    public string SigningFingerprint => Convert.ToHexStringLower(SHA256.HashData(Signing.ExportSubjectPublicKeyInfo()));

    /// <summary>As a person reads it off the other council's screen: upper case, in colon-separated pairs.</summary>
    public static string ReadOut(string fingerprint)
        => string.Join(':', Enumerable.Range(0, fingerprint.Length / 2).Select(i => fingerprint.Substring(i * 2, 2).ToUpperInvariant()));

    public void Dispose()
    {
        Encryption.Dispose();
        Signing.Dispose();
    }
}

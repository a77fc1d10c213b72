using System.Security.Cryptography;

namespace Serverless.Tests.Infrastructure;

/// <summary>
/// The tests' stand-in for the app's Key Vault manifest-signing key: one P-256 key, its private half (what the app
/// signs with, <c>Backup:SigningKeyPem</c> or <c>backup --signing-key</c>) and its public half (what a restore trusts,
/// <c>restore --manifest-signing-key</c>) as PEM files.
/// </summary>
internal static class TestSigningKey
{
    private static readonly Lazy<(string Private, string Public, string Pem)> Files = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var folder = Directory.CreateTempSubdirectory("serverless-signing-key-").FullName;
        var privatePath = Path.Combine(folder, "manifest-signing.pem");
        var publicPath = Path.Combine(folder, "manifest-signing.pub.pem");
        var pem = key.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(privatePath, pem);
        File.WriteAllText(publicPath, key.ExportSubjectPublicKeyInfoPem());
        return (privatePath, publicPath, pem);
    });

    public static string PrivatePath => Files.Value.Private;

    public static string PublicPath => Files.Value.Public;

    public static string PrivatePem => Files.Value.Pem;

    /// <summary>Signs <c>manifest.json</c> in <paramref name="backupFolder"/> again, after a test changed it on purpose
    /// to reach a check behind the signature (the app's key could sign anything it is given).</summary>
    public static async Task ResignAsync(string backupFolder)
    {
        using var signer = new Serverless.Backup.PemManifestSigner(PrivatePem, "test signing key");
        var signature = await signer.SignAsync(await File.ReadAllBytesAsync(Path.Combine(backupFolder, "manifest.json")), CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(backupFolder, "manifest.sig"), signature.ToJson());
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Serverless.Dev;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost, made for one run of an HTTPS Azurite and written as PEM files
/// to a private temporary directory, which disposing deletes. Nothing is installed or trusted system-wide: the tests
/// trust exactly this certificate, read from <see cref="CertificatePath"/>.
/// </summary>
internal sealed class AzuriteCertificate : IDisposable
{
    private readonly string _directory;

    private AzuriteCertificate(string directory) => _directory = directory;

    public string CertificatePath => Path.Combine(_directory, "azurite-cert.pem");

    public string KeyPath => Path.Combine(_directory, "azurite-key.pem");

    public static AzuriteCertificate Create()
    {
        // On Unix the directory is created readable by this user only: the private key stays private.
        var certificate = new AzuriteCertificate(Directory.CreateTempSubdirectory("serverless-azurite-").FullName);
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));

            // A day covers the longest benchmark run; a few minutes back allow for clock skew between processes.
            var now = DateTimeOffset.UtcNow;
            using var selfSigned = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
            File.WriteAllText(certificate.CertificatePath, selfSigned.ExportCertificatePem());
            File.WriteAllText(certificate.KeyPath, key.ExportPkcs8PrivateKeyPem());
            return certificate;
        }
        catch
        {
            certificate.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }
}

namespace Serverless.Dev;

/// <summary>
/// The two throwaway Azurites that tests and benchmarks run against, both in memory on free ports: the usual one over
/// HTTP with the account key (<c>SERVERLESS_TEST_STORAGE</c>), and one over HTTPS that also accepts OAuth bearer tokens,
/// which user delegation keys (the direct upload's SAS) need (<c>SERVERLESS_TEST_OAUTH_BLOB</c>, its certificate in
/// <c>SERVERLESS_TEST_OAUTH_CERT</c>). Disposing stops both and deletes the certificate.
/// </summary>
internal sealed class TestAzurites : IAsyncDisposable
{
    public const string StorageVariable = "SERVERLESS_TEST_STORAGE";
    public const string OAuthBlobVariable = "SERVERLESS_TEST_OAUTH_BLOB";
    public const string OAuthCertificateVariable = "SERVERLESS_TEST_OAUTH_CERT";

    private readonly AzuriteServer _plain;
    private readonly AzuriteServer _oauth;
    private readonly AzuriteCertificate _certificate;

    private TestAzurites(AzuriteServer plain, AzuriteServer oauth, AzuriteCertificate certificate)
    {
        _plain = plain;
        _oauth = oauth;
        _certificate = certificate;
    }

    public static async Task<TestAzurites> StartAsync(string entryScript, string workingDirectory, CancellationToken cancellationToken)
    {
        AzuriteServer? plain = null;
        AzuriteCertificate? certificate = null;
        try
        {
            plain = await AzuriteServer.StartThrowawayAsync(entryScript, workingDirectory, oauthCertificate: null, cancellationToken);
            certificate = AzuriteCertificate.Create();
            var oauth = await AzuriteServer.StartThrowawayAsync(entryScript, workingDirectory, certificate, cancellationToken);
            return new TestAzurites(plain, oauth, certificate);
        }
        catch
        {
            if (plain is not null)
            {
                await plain.DisposeAsync();
            }

            certificate?.Dispose();
            throw;
        }
    }

    /// <summary>What the test processes are given to reach both.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        [StorageVariable] = _plain.Ports.ConnectionString,
        [OAuthBlobVariable] = _oauth.BlobEndpoint.ToString(),
        [OAuthCertificateVariable] = _certificate.CertificatePath,
    };

    public override string ToString() =>
        $"Azurite (in memory) listens on {_plain.Ports}, reached through {StorageVariable}; "
        + $"Azurite (in memory, OAuth over HTTPS) on {_oauth.BlobEndpoint}, reached through {OAuthBlobVariable}, "
        + $"its certificate in {OAuthCertificateVariable}.";

    /// <summary>Whether either Azurite stopped on its own (a crash) while it was still needed.</summary>
    public string? UnexpectedExit() => _plain.UnexpectedExit() ?? _oauth.UnexpectedExit();

    public async ValueTask DisposeAsync()
    {
        await _oauth.DisposeAsync();
        await _plain.DisposeAsync();
        _certificate.Dispose();
    }
}

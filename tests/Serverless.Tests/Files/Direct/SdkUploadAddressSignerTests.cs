using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Serverless.Files.Direct;
using static Serverless.Tests.Files.Direct.DirectUploadApi;

namespace Serverless.Tests.Files.Direct;

/// <summary>
/// What the app's own signer grants, read back from the SAS it makes (no storage needed): the Azurite the tests use
/// cannot verify the 2026-10-06 SAS the SDK signs, so the end-to-end tests sign with the 2025-11-05 layout instead, and
/// this checks the production signer asks for the same grant.
/// </summary>
public sealed class SdkUploadAddressSignerTests
{
    [Fact]
    public void TheSdkSignerGrantsCreateAndWriteOnExactlyOneBlobOverHttpsForItsTimeOnly()
    {
        var blob = new BlobClient(new Uri("https://stmidori123.blob.core.windows.net/quarantine/cases/c0123456789abcdefghjkmnpqr/a0123456789abcdefghjkmnpqr"));
        var startsOn = new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);
        var expiresOn = startsOn.AddMinutes(16);
        var key = BlobsModelFactory.UserDelegationKey(
            "11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222", startsOn, expiresOn, "b", "2026-10-06", Convert.ToBase64String(new byte[32]));

        var url = new SdkUploadAddressSigner().Sign(blob, key, startsOn, expiresOn);
        var sas = Query(url);

        Assert.Equal(blob.Uri.GetLeftPart(UriPartial.Path), url.GetLeftPart(UriPartial.Path));
        Assert.Equal(("cw", "b", "https"), (sas["sp"], sas["sr"], sas["spr"]));
        Assert.Equal(("2026-12-04T09:00:00Z", "2026-12-04T09:16:00Z"), (sas["st"], sas["se"]));
        Assert.Equal(("11111111-1111-1111-1111-111111111111", "2026-12-04T09:16:00Z"), (sas["skoid"], sas["ske"]));
        Assert.Contains("sig", sas.Keys);
        Assert.DoesNotContain("sip", sas.Keys); // no IP range: phones move between networks
        Assert.DoesNotContain(sas.Keys, name => name.StartsWith("rsc", StringComparison.Ordinal)); // no response headers to override
    }
}

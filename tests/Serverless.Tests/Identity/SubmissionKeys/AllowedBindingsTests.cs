using Serverless.Identity.SubmissionKeys;

namespace Serverless.Tests.Identity.SubmissionKeys;

/// <summary>How admins' origin and address bindings are read and normalised (the service tests check how they are enforced).</summary>
public sealed class AllowedBindingsTests
{
    [Theory]
    [InlineData("https://minami.example.jp", "https://minami.example.jp")]
    [InlineData("https://MINAMI.Example.jp", "https://minami.example.jp")]
    [InlineData("https://minami.example.jp:443", "https://minami.example.jp")]
    [InlineData("https://minami.example.jp:8443", "https://minami.example.jp:8443")]
    [InlineData("HTTPS://minami.example.jp", "https://minami.example.jp")]
    [InlineData("https://みなみ.example.jp", "https://xn--q9jybb.example.jp")] // as browsers send it (punycode, checked with Python's idna codec)
    [InlineData("http://minami.example.jp", null)]
    [InlineData("https://minami.example.jp/", null)]
    [InlineData("https://minami.example.jp/form", null)]
    [InlineData("https://minami.example.jp?x=1", null)]
    [InlineData("https://minami.example.jp#top", null)]
    [InlineData("https://user:pass@minami.example.jp", null)]
    [InlineData("https://minami.example.jp\\", null)]
    [InlineData("https:// minami.example.jp", null)]
    [InlineData("minami.example.jp", null)]
    [InlineData("null", null)]
    [InlineData("", null)]
    public void OriginsAreExactHttpsOriginsInOneNormalForm(string value, string? expected)
    {
        var ok = AllowedOrigins.TryNormalize(value, out var origin);

        Assert.Equal(expected, ok ? origin : null);
    }

    [Theory]
    [InlineData("192.0.2.10", "192.0.2.10/32")]
    [InlineData("192.0.2.0/24", "192.0.2.0/24")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:DB8::1", "2001:db8::1/128")]
    [InlineData("2001:db8:1::/48", "2001:db8:1::/48")]
    [InlineData("10.0.0.1/8", null)] // host bits set: refused, not widened
    [InlineData("2001:db8::1/32", null)]
    [InlineData("192.0.2.0/33", null)]
    [InlineData("192.0.2.0/", null)]
    [InlineData("192.0.2.0/+8", null)]
    [InlineData("2001:db8::/129", null)]
    [InlineData("1.2.3", null)]
    [InlineData("192.0.2.1:80", null)]
    [InlineData("[2001:db8::1]", null)]
    [InlineData("::ffff:192.0.2.1", null)]
    [InlineData("0:0:0:0:0:ffff:c000:201", null)]
    [InlineData("::ffff:192.0.2.0/120", null)]
    [InlineData("fe80::1%eth0", null)]
    [InlineData("school.example.jp", null)]
    [InlineData("", null)]
    public void AddressesAreStrictAddressesOrRangesInCidrForm(string value, string? expected)
    {
        var ok = AllowedAddresses.TryNormalize(value, out var range);

        Assert.Equal(expected, ok ? range : null);
    }
}

using System.Net;
using Serverless.Notifications.Webhooks;

namespace Serverless.Tests.Webhooks;

/// <summary>The production address policy, as a pure function over many addresses.</summary>
public sealed class WebhookAddressPolicyTests
{
    private readonly PublicAddressPolicy policy = new();

    [Theory]
    [InlineData("127.0.0.1")] // loopback
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")] // private
    [InlineData("10.255.255.255")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("100.64.0.1")] // carrier-grade NAT
    [InlineData("100.127.255.255")]
    [InlineData("169.254.169.254")] // the cloud's metadata service
    [InlineData("169.254.0.1")] // link-local
    [InlineData("0.0.0.0")] // unspecified
    [InlineData("0.1.2.3")] // "this network"
    [InlineData("192.0.0.8")] // IETF protocol assignments
    [InlineData("192.0.2.10")] // documentation
    [InlineData("198.51.100.7")]
    [InlineData("203.0.113.10")]
    [InlineData("198.18.0.1")] // benchmarking
    [InlineData("192.88.99.1")] // 6to4 relay
    [InlineData("224.0.0.251")] // multicast
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")] // reserved
    [InlineData("255.255.255.255")] // broadcast
    [InlineData("::")] // unspecified
    [InlineData("::1")] // loopback
    [InlineData("fe80::1")] // link-local
    [InlineData("fc00::1")] // unique local
    [InlineData("fd12:3456:789a::1")]
    [InlineData("fec0::1")] // site-local (deprecated)
    [InlineData("ff02::1")] // multicast
    [InlineData("::ffff:127.0.0.1")] // IPv4-mapped loopback
    [InlineData("::ffff:10.0.0.1")] // IPv4-mapped private
    [InlineData("::ffff:169.254.169.254")] // IPv4-mapped metadata service
    [InlineData("::ffff:0.0.0.0")]
    [InlineData("::10.0.0.1")] // IPv4-compatible (deprecated)
    [InlineData("64:ff9b::a00:1")] // NAT64 of 10.0.0.1
    [InlineData("100::1")] // discard-only
    [InlineData("2001:db8::1")] // documentation
    [InlineData("3fff::1")] // documentation (2024)
    [InlineData("2001::1")] // Teredo
    [InlineData("2002:a00:1::1")] // 6to4 of 10.0.0.1
    [InlineData("fd00:ec2::254")] // the metadata service over IPv6 (AWS), unique local
    public void AnAddressThatIsNotPublicIsRefused(string address)
        => Assert.False(policy.Allows(IPAddress.Parse(address)), address + " must be refused");

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("20.43.64.1")]
    [InlineData("52.239.0.1")]
    [InlineData("100.63.255.255")] // just below carrier-grade NAT
    [InlineData("100.128.0.0")] // just above it
    [InlineData("172.15.255.255")] // just below 172.16/12
    [InlineData("172.32.0.0")] // just above it
    [InlineData("169.253.255.255")]
    [InlineData("::ffff:8.8.8.8")] // IPv4-mapped public
    [InlineData("2001:4860:4860::8888")]
    [InlineData("2404:6800:4004:80c::200e")]
    [InlineData("2603:1030::1")]
    public void APublicAddressIsAllowed(string address)
        => Assert.True(policy.Allows(IPAddress.Parse(address)), address + " must be allowed");

    [Fact]
    public async Task AHostIsRefusedWhenAnyOfItsAddressesIsNotPublic()
    {
        var resolver = new FakeResolver();
        resolver.Set("mixed.example.jp", "8.8.8.8", "10.0.0.5");
        resolver.Set("public.example.jp", "8.8.8.8", "2001:4860:4860::8888");
        resolver.Set("empty.example.jp");
        var hosts = new WebhookHosts(resolver, policy);

        Assert.IsType<WebhookHostCheck.Refused>(await hosts.CheckAsync("mixed.example.jp", CancellationToken.None));
        Assert.Equal(2, Assert.IsType<WebhookHostCheck.Allowed>(await hosts.CheckAsync("public.example.jp", CancellationToken.None)).Addresses.Count);
        Assert.IsType<WebhookHostCheck.Unresolvable>(await hosts.CheckAsync("empty.example.jp", CancellationToken.None));
        Assert.IsType<WebhookHostCheck.Unresolvable>(await hosts.CheckAsync("unknown.example.jp", CancellationToken.None));
        Assert.IsType<WebhookHostCheck.Refused>(await hosts.CheckAsync("[::1]", CancellationToken.None));
        Assert.IsType<WebhookHostCheck.Refused>(await hosts.CheckAsync("169.254.169.254", CancellationToken.None));
        Assert.Equal(4, resolver.Lookups); // literals are judged as they are, never looked up
    }
}

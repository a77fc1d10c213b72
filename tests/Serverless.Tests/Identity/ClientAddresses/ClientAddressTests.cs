using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Identity.ClientAddresses;

namespace Serverless.Tests.Identity.ClientAddresses;

/// <summary>
/// The client address from <c>X-Forwarded-For</c> with N trusted proxies: each proxy appends the address it
/// saw, so the client is the entry at <c>count - N</c>; anything to its left is the client's own say-so.
/// </summary>
public sealed class ClientAddressTests
{
    private const string Connection = "10.0.0.5"; // the nearest proxy, as the app's socket sees it

    [Theory]
    // No trusted proxy: the socket's address; the header is not believed at all.
    [InlineData(null, 0, Connection)]
    [InlineData("203.0.113.7", 0, Connection)]
    // One trusted proxy (the Azure front end): the entry it appended, the rightmost.
    [InlineData("203.0.113.7", 1, "203.0.113.7")]
    [InlineData(" 203.0.113.7 ", 1, "203.0.113.7")]
    [InlineData("198.51.100.66, 203.0.113.7", 1, "203.0.113.7")] // spoofing: the client sent "198.51.100.66" itself
    [InlineData("127.0.0.1,203.0.113.7", 1, "203.0.113.7")] // spoofing as loopback
    [InlineData("garbage, 203.0.113.7", 1, "203.0.113.7")] // the client's junk is never read
    [InlineData("203.0.113.7, garbage", 1, null)] // the trusted entry itself is unreadable
    [InlineData("203.0.113.7,", 1, null)]
    // Two trusted proxies (Front Door, then the front end): the second entry from the right.
    [InlineData("198.51.100.66, 203.0.113.7, 10.1.1.1", 2, "203.0.113.7")]
    [InlineData("203.0.113.7, 10.1.1.1", 2, "203.0.113.7")]
    // Fewer entries than trusted proxies: a proxy did not write its entry, so nothing here can be trusted.
    [InlineData("203.0.113.7", 2, null)]
    [InlineData(null, 1, null)]
    [InlineData("", 1, null)]
    [InlineData("   ", 1, null)]
    // Entry forms: ports, brackets, IPv6, IPv4-mapped IPv6.
    [InlineData("203.0.113.7:5678", 1, "203.0.113.7")]
    [InlineData("2001:db8::1", 1, "2001:db8::1")]
    [InlineData("[2001:db8::1]", 1, "2001:db8::1")]
    [InlineData("[2001:db8::1]:1234", 1, "2001:db8::1")]
    [InlineData("[::1]:1234", 1, "::1")]
    [InlineData("::ffff:203.0.113.7", 1, "203.0.113.7")]
    // Malformed entries: never guessed at.
    [InlineData("unknown", 1, null)]
    [InlineData("evil.example.jp", 1, null)]
    [InlineData("1.2.3", 1, null)]
    [InlineData("0x7f.0.0.1", 1, null)]
    [InlineData("203.0.113.256", 1, null)]
    [InlineData("203.0.113.7:99999", 1, null)]
    [InlineData("203.0.113.7:", 1, null)]
    [InlineData("[2001:db8::1", 1, null)]
    [InlineData("[2001:db8::1]x", 1, null)]
    [InlineData("fe80::1%eth0", 1, null)]
    [InlineData("203.0.113.7 198.51.100.1", 1, null)]
    public void ResolvesTheEntryTheOutermostTrustedProxyWrote(string? forwardedFor, int trustedHops, string? expected)
    {
        var resolved = ClientAddress.Resolve(forwardedFor, IPAddress.Parse(Connection), trustedHops);

        Assert.Equal(expected is null ? null : IPAddress.Parse(expected), resolved);
    }

    [Fact]
    public void WithNoTrustedProxyAndNoConnectionAddressTheClientIsUnknown()
        => Assert.Null(ClientAddress.Resolve("203.0.113.7", null, 0));

    [Fact]
    public void AMappedConnectionAddressComesBackAsIPv4()
        => Assert.Equal(IPAddress.Parse("203.0.113.7"), ClientAddress.Resolve(null, IPAddress.Parse("::ffff:203.0.113.7"), 0));

    [Fact]
    public void TheResolverUsesTheConnectionAddressByDefault()
    {
        var resolver = Build([]).GetRequiredService<ClientAddressResolver>();

        Assert.Equal(0, resolver.TrustedHops);
        Assert.Equal(IPAddress.Parse(Connection), resolver.Resolve("198.51.100.66, 203.0.113.7", IPAddress.Parse(Connection)));
    }

    /// <summary>
    /// Why the default is 0. In Azure the request reaches the app through the isolated worker's ASP.NET Core
    /// integration, which runs ASP.NET Core's forwarded-headers middleware with every header forwarded and no
    /// forward limit (Microsoft.Azure.Functions.Worker.Extensions.Http.AspNetCore, FunctionsHostBuilderExtensions);
    /// the Functions host connects over loopback, a known proxy. The middleware moves the rightmost entry, the
    /// platform's, into the connection address and leaves the client's own entries in the header. So 0 hops gives
    /// the platform's entry, and 1 hop reads what the client wrote.
    /// </summary>
    [Fact]
    public async Task InTheWorkersPipelineZeroHopsIsThePlatformsEntryAndOneHopIsTheClients()
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Loopback; // the Functions host, forwarding to the worker
        context.Request.Headers["X-Forwarded-For"] = "192.0.2.1, 203.0.113.7"; // forged by the client, then the platform's
        var options = new Microsoft.AspNetCore.Builder.ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.All,
            ForwardLimit = null,
        };
        var middleware = new Microsoft.AspNetCore.HttpOverrides.ForwardedHeadersMiddleware(
            _ => Task.CompletedTask, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, Options.Create(options));

        await middleware.Invoke(context);

        var forwardedFor = context.Request.Headers["X-Forwarded-For"].ToString();
        Assert.Equal(IPAddress.Parse("203.0.113.7"), ClientAddress.Resolve(forwardedFor, context.Connection.RemoteIpAddress, 0));
        Assert.Equal(IPAddress.Parse("192.0.2.1"), ClientAddress.Resolve(forwardedFor, context.Connection.RemoteIpAddress, 1));
    }

    [Fact]
    public void TheResolverReadsNetworkTrustedProxyHops()
    {
        var resolver = Build(new() { ["Network:TrustedProxyHops"] = "2" }).GetRequiredService<ClientAddressResolver>();

        Assert.Equal(IPAddress.Parse("203.0.113.7"), resolver.Resolve("198.51.100.66, 203.0.113.7, 10.1.1.1", IPAddress.Parse(Connection)));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("11")]
    public void TrustedProxyHopsOutsideZeroToTenIsRefusedAtStart(string hops)
    {
        var services = Build(new() { ["Network:TrustedProxyHops"] = hops });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<NetworkOptions>>().Value);
        Assert.Contains("Network:TrustedProxyHops must be from 0 to 10.", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddClientAddresses(configuration).BuildServiceProvider();
    }
}

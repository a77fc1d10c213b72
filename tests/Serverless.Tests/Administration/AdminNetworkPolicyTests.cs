using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Administration;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Administration;

/// <summary>
/// <c>Administration:AllowedNetworks</c>: a comma-separated list of IPv4 and IPv6 ranges (a bare address is /32 or
/// /128), read at start-up; a wrong entry stops the app there, an empty list refuses every admin call.
/// </summary>
public sealed class AdminNetworkPolicyTests
{
    private const string Gateway = "203.0.113.0/24, 198.51.100.7, 2001:db8:1::/48, 2001:db8:2::5";

    [Theory]
    [InlineData("203.0.113.0")]
    [InlineData("203.0.113.255")]
    [InlineData("198.51.100.7")]
    [InlineData("2001:db8:1::1")]
    [InlineData("2001:db8:1:ffff:ffff:ffff:ffff:ffff")]
    [InlineData("2001:db8:2::5")]
    public void AnAddressInsideAnAllowedRangeIsAllowed(string address)
        => Assert.True(Policy(Gateway).Allows(IPAddress.Parse(address)));

    [Theory]
    [InlineData("203.0.114.1")]
    [InlineData("198.51.100.8")]
    [InlineData("198.51.100.6")]
    [InlineData("2001:db8:2::6")]
    [InlineData("2001:db8:3::1")]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public void AnAddressOutsideEveryAllowedRangeIsRefused(string address)
        => Assert.False(Policy(Gateway).Allows(IPAddress.Parse(address)));

    /// <summary>A dual-stack socket reports IPv4 clients as <c>::ffff:a.b.c.d</c>: they are IPv4 clients all the same.</summary>
    [Theory]
    [InlineData("::ffff:203.0.113.9", true)]
    [InlineData("::ffff:198.51.100.7", true)]
    [InlineData("::ffff:203.0.114.9", false)]
    public void AnIPv4MappedIPv6AddressIsJudgedByTheIPv4Ranges(string address, bool allowed)
        => Assert.Equal(allowed, Policy(Gateway).Allows(IPAddress.Parse(address)));

    [Fact]
    public void AnIPv6RangeNeverAdmitsAnIPv4AddressNorTheOtherWayRound()
    {
        Assert.False(Policy("::/0").Allows(IPAddress.Parse("203.0.113.9")));
        Assert.False(Policy("0.0.0.0/0").Allows(IPAddress.Parse("2001:db8::1")));
    }

    [Fact]
    public void AnAddressThatCouldNotBeResolvedIsRefused()
        => Assert.False(Policy("0.0.0.0/0, ::/0").Allows(null));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void WithNoAllowedNetworksNothingIsAllowedNotEvenThisMachine(string? setting)
    {
        var policy = Policy(setting);

        Assert.Empty(policy.Networks);
        Assert.False(policy.Allows(IPAddress.Loopback));
        Assert.False(policy.Allows(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void ABareAddressMeansThatAddressAlone()
        => Assert.Equal(["198.51.100.7/32", "2001:db8:2::5/128"], Policy("198.51.100.7, 2001:db8:2::5").Networks.Select(network => network.ToString()));

    /// <summary>What an app setting holds (the template joins <c>allowedIpRanges</c> with commas), and what an
    /// appsettings.json array holds, bind alike.</summary>
    [Fact]
    public void TheSettingIsReadAsACommaSeparatedStringOrAsAList()
    {
        var fromString = Resolve(new() { ["Administration:AllowedNetworks"] = "203.0.113.0/24,2001:db8:1::/48" });
        var fromList = Resolve(new() { ["Administration:AllowedNetworks:0"] = "203.0.113.0/24", ["Administration:AllowedNetworks:1"] = "2001:db8:1::/48" });

        Assert.Equal(["203.0.113.0/24", "2001:db8:1::/48"], fromString.Networks.Select(network => network.ToString()));
        Assert.Equal(["203.0.113.0/24", "2001:db8:1::/48"], fromList.Networks.Select(network => network.ToString()));
    }

    /// <summary>A range is never guessed at: bits after the prefix (did they mean one address, or the /24?), a
    /// shortened IPv4 form, an IPv4-mapped range, a name, a port or a prefix too long for the family.</summary>
    [Theory]
    [InlineData("203.0.113.5/24")]
    [InlineData("10.0/16")]
    [InlineData("::ffff:203.0.113.0/120")]
    [InlineData("gateway.town.example.lg.jp")]
    [InlineData("203.0.113.7:443")]
    [InlineData("203.0.113.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("203.0.113.0/")]
    [InlineData("203.0.113.0/24 198.51.100.0/24")]
    public void AnEntryThatIsNotARangeIsAnError(string entry)
    {
        var (networks, errors) = AdminNetworkPolicy.Parse("198.51.100.7," + entry);

        Assert.Equal(["198.51.100.7/32"], networks.Select(network => network.ToString()));
        Assert.Equal(
            $"Administration:AllowedNetworks: '{entry}' is not an IPv4 or IPv6 address or CIDR range. Write ranges such as 203.0.113.0/24 or 2001:db8:1::/48 (a bare address means /32 or /128), with no bits set after the prefix, separated by commas.",
            Assert.Single(errors));
    }

    [Fact]
    public async Task AnInvalidEntryStopsTheAppAtStartUp()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(settings: new Dictionary<string, string>
        {
            ["Administration:AllowedNetworks"] = "203.0.113.0/24,203.0.113.5/24",
        }));

        Assert.Contains("Administration:AllowedNetworks: '203.0.113.5/24' is not an IPv4 or IPv6 address or CIDR range.", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    /// <summary>The local host (and so the test host) lets this machine in, and nothing else.</summary>
    [Fact]
    public async Task TheLocalHostAllowsLoopbackOnly()
    {
        await using var host = await TestHost.StartAsync(seedDirectory: false);
        var policy = host.Get<AdminNetworkPolicy>();

        Assert.Equal(["127.0.0.0/8", "::1/128"], policy.Networks.Select(network => network.ToString()));
        Assert.True(policy.Allows(IPAddress.Parse("127.0.0.1")));
        Assert.True(policy.Allows(IPAddress.IPv6Loopback));
        Assert.False(policy.Allows(IPAddress.Parse("203.0.113.10")));
    }

    private static AdminNetworkPolicy Policy(string? setting)
        => new(Options.Create(new AdministrationOptions { AllowedNetworks = setting }), NullLogger<AdminNetworkPolicy>.Instance);

    private static AdminNetworkPolicy Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddAdministration(configuration).BuildServiceProvider();
        return services.GetRequiredService<AdminNetworkPolicy>();
    }
}

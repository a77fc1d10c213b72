using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Identity.ClientAddresses;
using Serverless.Identity.SubmissionKeys;

namespace Serverless.Administration;

/// <summary>
/// The admin API answers only callers inside <see cref="AdministrationOptions.AllowedNetworks"/> (the
/// municipality's gateway): App Service access restrictions cannot tell <c>/api/admin/...</c> from the rest
/// of the public API, so the app decides. Fail closed: no ranges configured, or a client address that could
/// not be resolved, and nobody gets in.
/// </summary>
public sealed class AdminNetworkPolicy
{
    private readonly IReadOnlyList<IPNetwork> networks;

    public AdminNetworkPolicy(IOptions<AdministrationOptions> options, ILogger<AdminNetworkPolicy> logger)
    {
        var parsed = Parse(options.Value.AllowedNetworks);
        if (parsed.Errors.Count > 0)
        {
            // Validated at start-up; reaching this means the options were built without that validation.
            throw new OptionsValidationException(nameof(AdministrationOptions), typeof(AdministrationOptions), parsed.Errors);
        }

        networks = parsed.Networks;
        if (networks.Count == 0)
        {
            logger.LogWarning("Administration:AllowedNetworks is empty: the admin API refuses every caller");
        }
    }

    public IReadOnlyList<IPNetwork> Networks => networks;

    /// <summary>True when <paramref name="clientAddress"/> is in one of the allowed networks; false when it is
    /// null (not resolvable). IPv4-mapped IPv6 addresses (<c>::ffff:a.b.c.d</c>) are compared as IPv4.</summary>
    public bool Allows(IPAddress? clientAddress)
    {
        if (clientAddress is null)
        {
            return false;
        }

        var address = ClientAddress.Normalize(clientAddress);
        return networks.Any(network => network.Contains(address));
    }

    /// <summary>
    /// Parses a comma-separated list of ranges. Each entry as a submission key's address binding is parsed
    /// (<see cref="AllowedAddresses.TryNormalize"/>): strictly, so a range with bits set after its prefix
    /// (<c>203.0.113.5/24</c>), a shortened IPv4 form or an IPv4-mapped IPv6 range is an error, never a guess.
    /// Empty entries (a trailing comma) are ignored.
    /// </summary>
    public static (IReadOnlyList<IPNetwork> Networks, IReadOnlyList<string> Errors) Parse(string? text)
    {
        var networks = new List<IPNetwork>();
        var errors = new List<string>();
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (AllowedAddresses.TryNormalize(entry, out var range))
            {
                networks.Add(IPNetwork.Parse(range));
            }
            else
            {
                errors.Add(
                    $"{AdministrationOptions.Section}:{nameof(AdministrationOptions.AllowedNetworks)}: '{entry}' is not an IPv4 or IPv6 address or CIDR range. "
                    + "Write ranges such as 203.0.113.0/24 or 2001:db8:1::/48 (a bare address means /32 or /128), with no bits set after the prefix, separated by commas.");
            }
        }

        return (networks, errors);
    }
}

using System.ComponentModel.DataAnnotations;

namespace Serverless.Administration;

/// <summary>Where the admin API may be used from (configuration section <c>Administration</c>).</summary>
public sealed class AdministrationOptions : IValidatableObject
{
    public const string Section = "Administration";

    /// <summary>
    /// The networks the admin API (<c>/api/admin/...</c>) answers: IPv4 and IPv6 CIDR ranges, a bare address
    /// meaning /32 or /128, comma-separated as an app setting holds them
    /// (<c>Administration__AllowedNetworks=203.0.113.0/24,2001:db8:1::/48</c>). In Azure the template writes
    /// the same ranges as the scm allow-list. Empty or absent: the admin API refuses every caller.
    /// </summary>
    public string? AllowedNetworks { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        => AdminNetworkPolicy.Parse(AllowedNetworks).Errors.Select(error => new ValidationResult(error, [nameof(AllowedNetworks)]));
}

using System.ComponentModel.DataAnnotations;
using Serverless.Identity;

namespace Serverless.Functions.Identity;

/// <summary>
/// Demo people for local runs and tests, until real sign-in arrives: a request that says
/// <c>Authorization: Development {personId}</c> acts as that person. Only local configuration can turn
/// it on, and only while storage is the local emulator (checked at start-up), so it cannot be
/// switched on in Azure by an app setting.
/// </summary>
public sealed class DevelopmentAuthenticationOptions
{
    public const string Section = "Authentication:Development";

    public bool Enabled { get; set; }

    public Dictionary<string, DevelopmentPerson> People { get; set; } = new(StringComparer.Ordinal);
}

public sealed class DevelopmentPerson
{
    [Required]
    public string AgencyId { get; set; } = "";

    public CallerRole Role { get; set; } = CallerRole.Member;
}

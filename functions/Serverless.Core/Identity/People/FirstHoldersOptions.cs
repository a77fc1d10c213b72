using System.ComponentModel.DataAnnotations;
using Serverless.Agencies;

namespace Serverless.Identity.People;

/// <summary>
/// The first admin and coordinator the app registers itself (section <c>Bootstrap</c>; infra writes it from the
/// deployment's parameters), so a new instance needs nobody with a data role. Harmless to leave set: the app
/// registers a role only while nobody has ever held it.
/// </summary>
public sealed class FirstHoldersOptions : IValidatableObject
{
    public const string Section = "Bootstrap";

    /// <summary>The issuer name as configured under <c>Authentication:Issuers</c> (in Azure: <c>entra</c>).</summary>
    public string Issuer { get; set; } = "entra";

    /// <summary>The coordinating division (調整機関) both belong to, e.g. <c>midori-kodomo-ka</c>.</summary>
    public string? AgencyId { get; set; }

    /// <summary>Its name, used when it is not registered yet.</summary>
    public string? AgencyName { get; set; }

    /// <summary>The first admin's subject (Entra: the user's object id). Empty: none.</summary>
    public string? AdminSubject { get; set; }

    public string AdminDisplayName { get; set; } = "管理者（初期登録）";

    /// <summary>The first coordinator's subject. Empty: none.</summary>
    public string? CoordinatorSubject { get; set; }

    public string CoordinatorDisplayName { get; set; } = "調整担当（初期登録）";

    public IEnumerable<FirstHolder> Holders()
    {
        if (!string.IsNullOrWhiteSpace(AdminSubject))
        {
            yield return new FirstHolder(CallerRole.Admin, AgencyId!, AgencyName, Issuer, AdminSubject.Trim(), AdminDisplayName);
        }

        if (!string.IsNullOrWhiteSpace(CoordinatorSubject))
        {
            yield return new FirstHolder(CallerRole.Coordinator, AgencyId!, AgencyName, Issuer, CoordinatorSubject.Trim(), CoordinatorDisplayName);
        }
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(AdminSubject) && string.IsNullOrWhiteSpace(CoordinatorSubject))
        {
            yield break;
        }

        if (!AgencyIds.IsValid(AgencyId) || string.IsNullOrWhiteSpace(AgencyName))
        {
            yield return new ValidationResult(
                "Bootstrap:AdminSubject or Bootstrap:CoordinatorSubject is set, so Bootstrap:AgencyId (3 to 40 lowercase letters, digits or dashes, e.g. midori-kodomo-ka) and Bootstrap:AgencyName (the coordinating division's name) must be set too.",
                [nameof(AgencyId), nameof(AgencyName)]);
        }

        if (string.IsNullOrWhiteSpace(Issuer))
        {
            yield return new ValidationResult("Bootstrap:Issuer must name a configured issuer (in Azure: entra).", [nameof(Issuer)]);
        }
    }
}

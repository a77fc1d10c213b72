using Serverless.Cases;

namespace Serverless.Referrals;

/// <summary>The case a referral would become, prefilled from what it says: the coordinator corrects it before deciding.</summary>
public static class ReferralCaseDraft
{
    /// <param name="leadAgencyId">The deciding coordinator's agency (the council's division leads a case it registers).</param>
    public static CaseRecord From(StoredReferral referral, string leadAgencyId)
    {
        var child = referral.Content.Child;
        return new CaseRecord
        {
            Category = referral.Kind == ReferralKind.AbuseReport ? CaseCategory.RequiringProtection : CaseCategory.RequiringSupport,
            ReferralRoute = referral.Route,
            Child = new Person { Name = child.Name ?? new PersonName(), BirthDate = child.BirthDate, Sex = child.Sex ?? Sex.Unknown },
            Household = [.. (child.Guardians ?? []).Where(g => g.Name is not null && g.Relationship is not null)
                .Select(g => new HouseholdMember { Name = g.Name!, Relationship = g.Relationship!.Value, IsGuardian = true })],
            LeadAgencyId = leadAgencyId,
            Location = child.Address is null ? null : new Location { Address = child.Address },
        };
    }
}

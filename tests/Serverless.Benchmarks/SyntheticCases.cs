using Serverless.Cases;

namespace Serverless.Benchmarks;

/// <summary>Invented case records with unique made-up names, for load only.</summary>
public static class SyntheticCases
{
    private static readonly string[] Kana = ["ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク", "ケ", "コ", "サ", "シ", "ス", "セ", "ソ", "タ"];

    public static CaseRecord Registered(int n, DateOnly today) => new()
    {
        Category = n % 3 == 0 ? CaseCategory.RequiringSupport : CaseCategory.RequiringProtection,
        Status = CaseStatus.Registered,
        AbuseTypes = [AbuseType.Neglect],
        Child = new Person
        {
            Name = new PersonName { Family = "試験", Given = "太郎" + n, FamilyKana = "シケン", GivenKana = UniqueKana(n) },
            BirthDate = today.AddYears(-10).AddDays(-(n % 3000)),
            Sex = Sex.Unknown,
        },
        Household = [new HouseholdMember { Name = new PersonName { Family = "試験", Given = "花子" + n }, Relationship = Relationship.Mother, IsGuardian = true }],
        LeadAgencyId = "midori-kodomo-ka",
        KeyAgencyId = "minami-shogakko",
        Participants = [new Participation { AgencyId = "minami-shogakko", From = today.AddMonths(-1) }],
        NextReviewDate = today.AddDays(1 + (n % 90)),
        Location = new Location { Address = "みどり市" + n },
        Notes = "ベンチマーク用の架空のケース",
    };

    private static string UniqueKana(int n)
    {
        var text = "";
        do
        {
            text = Kana[n % 16] + text;
            n /= 16;
        }
        while (n > 0);
        return "タロウ" + text;
    }
}

using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Time;

namespace Serverless.DevHost;

/// <summary>
/// Seeds みどり市's agencies and a few invented cases so a newcomer sees a working system. Runs once per
/// Azurite: if the coordinating division is already registered, nothing is added.
/// </summary>
public sealed class DemoData(AgencyDirectory agencies, PeopleDirectory people, CaseService cases, TimeProvider clock, ILogger<DemoData> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await agencies.FindAsync(DemoPeople.Agencies[0].AgencyId, cancellationToken) is not null)
        {
            logger.LogInformation("Demo data already present");
            return;
        }

        await DemoPeople.SaveAsync(agencies, people, cancellationToken);

        var coordinator = new Caller(DemoPeople.PersonId("coordinator-sato"), "midori-kodomo-ka", CallerRole.Coordinator);
        var today = JapanTime.Today(clock);
        var created = 0;
        foreach (var record in Cases(today))
        {
            if (await cases.CreateAsync(coordinator, new CreateCaseRequest(record), cancellationToken) is CaseOutcome<CaseView>.Done)
            {
                created++;
            }
        }

        logger.LogInformation("Demo data: {AgencyCount} agencies and {CaseCount} cases of the invented town みどり市", DemoPeople.Agencies.Count, created);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Invented people; any resemblance to real children is accidental.</summary>
    private static IEnumerable<CaseRecord> Cases(DateOnly today)
    {
        yield return new CaseRecord
        {
            Category = CaseCategory.RequiringProtection,
            Status = CaseStatus.Registered,
            AbuseTypes = [AbuseType.Physical, AbuseType.Psychological],
            MainAbuserRelationship = Relationship.Stepfather,
            ReferralRoute = ReferralRoute.School,
            RiskLevel = RiskLevel.High,
            Urgency = Urgency.Within48Hours,
            Child = new Person
            {
                Name = new PersonName { Family = "青木", Given = "陽向", FamilyKana = "アオキ", GivenKana = "ヒナタ" },
                BirthDate = today.AddYears(-9).AddDays(-40),
                Sex = Sex.Male,
            },
            Household =
            [
                new HouseholdMember { Name = new PersonName { Family = "青木", Given = "真由美", FamilyKana = "アオキ", GivenKana = "マユミ" }, Relationship = Relationship.Mother, IsGuardian = true },
                new HouseholdMember { Name = new PersonName { Family = "青木", Given = "健二", FamilyKana = "アオキ", GivenKana = "ケンジ" }, Relationship = Relationship.Stepfather, IsGuardian = true },
            ],
            LeadAgencyId = "midori-kodomo-ka",
            KeyAgencyId = "minami-shogakko",
            Participants =
            [
                new Participation { AgencyId = "minami-shogakko", From = today.AddMonths(-5) },
                new Participation { AgencyId = "midori-hoken-center", From = today.AddMonths(-5) },
            ],
            Staff = [Named("teacher-tanaka"), Named("nurse-suzuki")],
            NextReviewDate = today.AddMonths(2),
            Location = new Location { Address = "みどり市南町2丁目", SchoolDistrict = "南小学校区" },
            Notes = "登校時の見守りを継続。",
        };

        yield return new CaseRecord
        {
            Category = CaseCategory.RequiringSupport,
            AbuseTypes = [AbuseType.Neglect],
            ReferralRoute = ReferralRoute.Nursery,
            RiskLevel = RiskLevel.Medium,
            Urgency = Urgency.WithinAWeek,
            Child = new Person
            {
                Name = new PersonName { Family = "森本", Given = "さくら", FamilyKana = "モリモト", GivenKana = "サクラ" },
                BirthDate = today.AddYears(-4).AddDays(-100),
                Sex = Sex.Female,
            },
            Household = [new HouseholdMember { Name = new PersonName { Family = "森本", Given = "愛", FamilyKana = "モリモト", GivenKana = "アイ" }, Relationship = Relationship.Mother, IsGuardian = true }],
            LeadAgencyId = "midori-kodomo-ka",
            KeyAgencyId = "hikari-hoikuen",
            Participants = [new Participation { AgencyId = "hikari-hoikuen", From = today.AddMonths(-1) }],
            Staff = [Named("nursery-yamada")],
            NextReviewDate = today.AddDays(20),
        };

        yield return new CaseRecord
        {
            Category = CaseCategory.ExpectantMother,
            Status = CaseStatus.Registered,
            ReferralRoute = ReferralRoute.PublicHealthCentre,
            RiskLevel = RiskLevel.Medium,
            Urgency = Urgency.Routine,
            ExpectantMother = new ExpectantMother
            {
                Mother = new Person
                {
                    Name = new PersonName { Family = "川口", Given = "美咲", FamilyKana = "カワグチ", GivenKana = "ミサキ" },
                    BirthDate = today.AddYears(-19),
                    Sex = Sex.Female,
                },
                DueDate = today.AddMonths(3),
            },
            LeadAgencyId = "midori-kodomo-ka",
            KeyAgencyId = "midori-hoken-center",
            Participants = [new Participation { AgencyId = "midori-hoken-center", From = today.AddMonths(-2) }],
            Staff = [Named("nurse-suzuki")],
            NextReviewDate = today.AddMonths(1),
            Location = new Location { Address = "（DVシェルター入所中）" },
            LocationSecrecy = true,
        };
    }

    /// <summary>A demo person named on a case for their own agency.</summary>
    private static NamedStaff Named(string subject)
        => new() { PersonId = DemoPeople.PersonId(subject), AgencyId = DemoPeople.Person(subject).AgencyId };
}

using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Time;

namespace Serverless.DevHost;

/// <summary>
/// Seeds みどり市's agencies, three invented cases, each case's timeline (<see cref="DemoTimeline"/>) and three
/// referrals (<see cref="DemoReferrals"/>), so a newcomer sees a working system. Runs once per Azurite: if the coordinating division is already registered,
/// nothing is added. A refusal stops the host (<see cref="DemoRefusedException"/>): a broken demo must be noticed.
/// </summary>
public sealed class DemoData(AgencyDirectory agencies, PeopleDirectory people, CaseService cases, DemoTimeline timeline, DemoReferrals referrals, TimeProvider clock, ILogger<DemoData> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await agencies.FindAsync(DemoPeople.Agencies[0].AgencyId, cancellationToken) is not null)
        {
            logger.LogInformation("Demo data already present");
            return;
        }

        await DemoPeople.SaveAsync(agencies, people, cancellationToken);

        var today = JapanTime.Today(clock);
        var schoolChild = await CreateAsync(SchoolChild(today), cancellationToken);
        var nurseryChild = await CreateAsync(NurseryChild(today), cancellationToken);
        var expectantMother = await CreateAsync(ExpectantMother(today), cancellationToken);

        var entries = await timeline.SchoolChildAsync(schoolChild, cancellationToken)
            + await timeline.NurseryChildAsync(nurseryChild, cancellationToken)
            + await timeline.ExpectantMotherAsync(expectantMother, cancellationToken)
            + await referrals.SeedAsync(nurseryChild, cancellationToken);

        logger.LogInformation("Demo data: {AgencyCount} agencies, {CaseCount} cases and {EntryCount} timeline entries of the invented town みどり市", DemoPeople.Agencies.Count, 3, entries);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<string> CreateAsync(CaseRecord record, CancellationToken cancellationToken)
    {
        var outcome = await cases.CreateAsync(DemoTimelineWriter.Person("coordinator-sato"), new CreateCaseRequest(record), cancellationToken);
        if (outcome is not CaseOutcome<CaseView>.Done { Value: var created })
        {
            throw DemoRefusedException.Log(logger, "registering a case", caseId: null, outcome);
        }

        return created.CaseId;
    }

    // Invented people; any resemblance to real children is accidental.

    /// <summary>A nine-year-old at 南小学校, watched by the school and the health centre.</summary>
    private static CaseRecord SchoolChild(DateOnly today) => new()
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
        // teacher-kimura works at the same school and is left off on purpose: need to know is per person.
        Staff = [Named("teacher-tanaka"), Named("nurse-suzuki")],
        NextReviewDate = today.AddMonths(2),
        Location = new Location { Address = "みどり市南町2丁目", SchoolDistrict = "南小学校区" },
        Notes = "登校時の見守りを継続。",
    };

    /// <summary>A four-year-old at ひかり保育園; the health centre joins on the timeline (<see cref="DemoTimeline.NurseryChildAsync"/>).</summary>
    private static CaseRecord NurseryChild(DateOnly today) => new()
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

    /// <summary>A nineteen-year-old expecting her first child, in a DV shelter: where she lives is secret.</summary>
    private static CaseRecord ExpectantMother(DateOnly today) => new()
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

    /// <summary>A demo person named on a case for their own agency.</summary>
    internal static NamedStaff Named(string subject)
        => new() { PersonId = DemoPeople.PersonId(subject), AgencyId = DemoPeople.Person(subject).AgencyId };
}

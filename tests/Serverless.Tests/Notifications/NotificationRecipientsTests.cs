using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Notifications;

namespace Serverless.Tests.Notifications;

/// <summary>Who is told of an entry, as a pure function of the case, the entry and the memberships of the day.</summary>
public sealed class NotificationRecipientsTests
{
    private const string Division = "division";
    private const string School = "school";
    private const string Nursery = "nursery";
    private const string Clinic = "clinic";
    private static readonly DateOnly Today = new(2025, 6, 16);

    private static readonly Membership[] People =
    [
        Member("p-sato", Division, CallerRole.Coordinator),
        Member("p-mori", Division, CallerRole.Coordinator),
        Member("p-tanaka", School),
        Member("p-kimura", School), // not named on the case
        Member("p-yamada", Nursery),
        Member("p-ono", Clinic), // named, but the clinic's participation has ended
        Member("p-admin", Division, CallerRole.Admin),
        Member("p-left", Nursery) with { ValidTo = Today.AddDays(-1) }, // named, but no longer at the nursery
    ];

    private static CaseRecord Record(params string[] barred) => new()
    {
        Category = CaseCategory.RequiringProtection,
        Status = CaseStatus.Registered,
        LeadAgencyId = Division,
        KeyAgencyId = School,
        Participants =
        [
            new Participation { AgencyId = Nursery, From = new DateOnly(2025, 4, 1) },
            new Participation { AgencyId = Clinic, From = new DateOnly(2025, 4, 1), To = new DateOnly(2025, 5, 31) },
        ],
        Staff =
        [
            new NamedStaff { PersonId = "p-tanaka", AgencyId = School },
            new NamedStaff { PersonId = "p-yamada", AgencyId = Nursery },
            new NamedStaff { PersonId = "p-ono", AgencyId = Clinic },
            new NamedStaff { PersonId = "p-left", AgencyId = Nursery },
        ],
        BarredPersonIds = barred,
    };

    [Fact]
    public void ANamedMemberOfEveryAgencyOnTheCaseAndEveryCoordinatorWhenNoneIsNamedAreToldButNeverTheAuthor()
    {
        var entry = Entry("p-tanaka", School, EntryScope.AllParticipants, ReportUrgency.Routine);

        Assert.Equal(["p-mori", "p-sato", "p-yamada"], Ids(NotificationRecipients.For(Record(), entry, People, Today)));
    }

    [Fact]
    public void WhenTheCaseNamesACoordinatorOnlyThatOneIsToldOfARoutineEntryAndEveryCoordinatorOfAnUrgentOne()
    {
        var record = Record() with { Staff = [.. Record().Staff, new NamedStaff { PersonId = "p-mori", AgencyId = Division }] };

        Assert.Equal(["p-mori", "p-yamada"], Ids(NotificationRecipients.For(record, Entry("p-tanaka", School, EntryScope.AllParticipants, ReportUrgency.Routine), People, Today)));
        Assert.Equal(["p-mori", "p-sato", "p-yamada"], Ids(NotificationRecipients.For(record, Entry("p-tanaka", School, EntryScope.AllParticipants, ReportUrgency.Urgent), People, Today)));
    }

    [Fact]
    public void ACoordinatorsOnlyEntryReachesCoordinatorsAndTheAuthorsOwnAgencyOnly()
    {
        var entry = Entry("p-sato", Division, EntryScope.CoordinatorsOnly, ReportUrgency.Routine);
        var fromTheNursery = Entry(null, Nursery, EntryScope.CoordinatorsOnly, ReportUrgency.Routine); // a form's key

        Assert.Equal(["p-mori"], Ids(NotificationRecipients.For(Record(), entry, People, Today)));
        Assert.Equal(["p-mori", "p-sato", "p-yamada"], Ids(NotificationRecipients.For(Record(), fromTheNursery, People, Today)));
    }

    [Fact]
    public void AnEntryForNamedAgenciesReachesTheirStaffAndNoOtherAgencys()
    {
        var entry = Entry("p-sato", Division, new EntryScope(EntryAudience.NamedAgencies, [Nursery]), ReportUrgency.Routine);

        Assert.Equal(["p-mori", "p-yamada"], Ids(NotificationRecipients.For(Record(), entry, People, Today)));
    }

    [Fact]
    public void ABarredPersonIsNeverToldEvenWhenMentionedOrACoordinator()
    {
        var entry = Entry("p-tanaka", School, EntryScope.AllParticipants, ReportUrgency.Urgent) with
        {
            Comment = new CommentDetails(Mentions: new MentionsInput { PersonIds = ["p-yamada", "p-sato"] }),
        };

        Assert.Equal(["p-mori"], Ids(NotificationRecipients.For(Record("p-yamada", "p-sato"), entry, People, Today)));
    }

    [Fact]
    public void TheMentionedAreMarkedAndAnAgencyMentionMarksItsNamedStaff()
    {
        var record = Record() with { Staff = [.. Record().Staff, new NamedStaff { PersonId = "p-mori", AgencyId = Division }] };
        var entry = Entry("p-tanaka", School, EntryScope.AllParticipants, ReportUrgency.Routine) with
        {
            Type = EntryType.Comment,
            Report = null,
            Comment = new CommentDetails(Mentions: new MentionsInput { PersonIds = ["p-sato"], AgencyIds = [Nursery] }),
        };

        var recipients = NotificationRecipients.For(record, entry, People, Today);

        Assert.Equal([("p-mori", false), ("p-sato", true), ("p-yamada", true)], recipients.Select(recipient => (recipient.PersonId, recipient.Mentioned)));
    }

    [Fact]
    public void NobodyIsToldThroughAMembershipThatEndedOrAnAgencyNoLongerOnTheCaseAndAdminsNever()
    {
        var recipients = Ids(NotificationRecipients.For(Record(), Entry("p-sato", Division, EntryScope.AllParticipants, ReportUrgency.Urgent), People, Today));

        Assert.DoesNotContain("p-left", recipients);
        Assert.DoesNotContain("p-ono", recipients);
        Assert.DoesNotContain("p-admin", recipients);
        Assert.DoesNotContain("p-kimura", recipients);
        Assert.Equal(["p-mori", "p-tanaka", "p-yamada"], recipients);
    }

    private static IReadOnlyList<string> Ids(IReadOnlyList<Recipient> recipients) => [.. recipients.Select(recipient => recipient.PersonId)];

    private static Membership Member(string personId, string agencyId, CallerRole role = CallerRole.Member)
        => new("m-" + personId, personId, agencyId, role, new DateOnly(2024, 4, 1), null, MayBreakGlass: false, "p-admin", DateTimeOffset.UnixEpoch);

    /// <param name="authorId">Null: a form's key of <paramref name="agencyId"/>.</param>
    private static StoredEntry Entry(string? authorId, string agencyId, EntryScope scope, ReportUrgency urgency)
        => new(
            "c" + new string('a', 26),
            "e" + new string('b', 26),
            EntryType.Report,
            DateTimeOffset.UnixEpoch,
            ObservedAt: null,
            authorId is null ? new EntryAuthor(EntryAuthor.Key, "k-form", agencyId) : new EntryAuthor(EntryAuthor.Person, authorId, agencyId),
            scope,
            Version: 1,
            "報告",
            new ReportDetails(ReportKind.Other, urgency),
            Comment: null,
            CaseChange: null,
            Redaction: null);
}

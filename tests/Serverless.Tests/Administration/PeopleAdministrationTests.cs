using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.DevHost;
using Serverless.Identity.People;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Administration;

/// <summary>People and memberships over HTTP: who may register, grant and end what, and what sign-in makes of it.</summary>
public sealed class PeopleAdministrationTests
{
    private const string Newcomer = "newcomer-abe";
    private const string SchoolList = "api/cases?agency=" + School;

    [Fact]
    public async Task AdminRegistersAPersonWhoseIdFollowsFromIssuerAndSubjectAndRenamesThemWith200()
    {
        await using var api = await AdminApi.StartAsync();
        var body = new JsonObject { ["issuer"] = "development", ["subject"] = Newcomer, ["displayName"] = "  阿部 新  " };

        using var created = await api.PostAsync("api/admin/people", Admin, body);
        body["displayName"] = "阿部 新太";
        using var renamed = await api.PostAsync("api/admin/people", Admin, body);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var person = await CaseApi.BodyAsync(created);
        Assert.Equal(PersonIds.For("development", Newcomer), (string)person["personId"]!);
        Assert.Equal(["displayName", "issuer", "memberships", "personId"], person.Select(pair => pair.Key).Order(StringComparer.Ordinal));
        Assert.Equal(("development", "阿部 新"), ((string)person["issuer"]!, (string)person["displayName"]!));
        Assert.Empty(person["memberships"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var (profile, _) = await api.Host.Get<PeopleDirectory>().FindAsync(PersonId(Newcomer), CancellationToken.None);
        Assert.Equal(("阿部 新太", Newcomer, PersonId(Admin)), (profile!.DisplayName, profile.Subject, profile.RegisteredBy));
    }

    [Fact]
    public async Task PersonWithAnUnconfiguredIssuerAMalformedSubjectAndNoNameIsRefused()
    {
        await using var api = await AdminApi.StartAsync();
        var body = new JsonObject { ["issuer"] = "entra", ["subject"] = "abe@example.jp" };

        using var response = await api.PostAsync("api/admin/people", Admin, body);

        await CaseApi.ValidationErrorsAsync(response, ("$.issuer", "unknown-issuer"), ("$.subject", "invalid-id"), ("$.displayName", "required"));
        Assert.Equal([(AuditActions.AdminPersonSave, "Invalid")], (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Theory]
    [InlineData(Coordinator)]
    [InlineData(Teacher)]
    [InlineData(Auditor)]
    public async Task OnlyAnAdminRegistersPeople(string subject)
    {
        await using var api = await AdminApi.StartAsync();

        using var response = await api.PostAsync("api/admin/people", subject, new JsonObject { ["issuer"] = "development", ["subject"] = Newcomer, ["displayName"] = "阿部 新" });

        await AssertProblemAsync(response, ProblemCatalogue.Forbidden, "api/admin/people");
        Assert.Null((await api.Host.Get<PeopleDirectory>().FindAsync(PersonId(Newcomer), CancellationToken.None)).Profile);
    }

    [Fact]
    public async Task PersonSignsInOnlyOnceRegisteredAndGrantedAMembership()
    {
        await using var api = await AdminApi.StartAsync();

        using var unknown = await api.GetAsync(SchoolList, Newcomer);
        await AssertProblemAsync(unknown, ProblemCatalogue.NotRegistered, SchoolList);
        var personId = await api.RegisterAsync(Newcomer);
        using var registered = await api.GetAsync(SchoolList, Newcomer);
        await AssertProblemAsync(registered, ProblemCatalogue.NoActiveMembership, SchoolList);
        await api.GrantAsync(personId, Grant(School, "member", api.Today));
        using var member = await api.GetAsync(SchoolList, Newcomer);

        Assert.Equal(HttpStatusCode.OK, member.StatusCode);
        Assert.Equal(
            [("Unauthenticated", null), ("Unauthenticated", null), ("Succeeded", School)],
            (await api.AuditOutcomesAsync(personId)).Select(entry => (entry.Outcome, entry.AgencyId)));
    }

    [Fact]
    public async Task MembershipStartingTomorrowDoesNotWorkToday()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);
        await api.GrantAsync(personId, Grant(School, "member", api.Today.AddDays(1)));

        using var response = await api.GetAsync(SchoolList, Newcomer);

        await AssertProblemAsync(response, ProblemCatalogue.NoActiveMembership, SchoolList);
    }

    [Fact]
    public async Task AdminGrantsAMemberMembershipWith201()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);

        using var response = await api.PostAsync($"api/admin/people/{personId}/memberships", Admin, Grant(School, "member", api.Today, api.Today.AddDays(30)));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await CaseApi.BodyAsync(response);
        Assert.Matches("^[0-9a-f]{16}$", (string)body["membershipId"]!);
        Assert.Equal((School, "member", Day(api.Today), Day(api.Today.AddDays(30)), false, true), ((string)body["agencyId"]!, (string)body["role"]!, (string)body["validFrom"]!, (string)body["validTo"]!, (bool)body["mayBreakGlass"]!, (bool)body["activeToday"]!));
    }

    [Theory]
    [InlineData("member", School, HttpStatusCode.OK)]
    [InlineData("auditor", "midori-kodomo-ka", HttpStatusCode.Forbidden)]
    [InlineData("admin", "midori-kodomo-ka", HttpStatusCode.Forbidden)]
    public async Task AnAdminGrantsMemberAuditorAndAdminRolesThatWorkAtOnce(string role, string agencyId, HttpStatusCode listingCases)
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);

        await api.GrantAsync(personId, Grant(agencyId, role, api.Today));
        using var response = await api.GetAsync("api/cases?agency=" + agencyId, Newcomer);

        Assert.Equal(listingCases, response.StatusCode); // signed in either way; only a member sees their agency's list
        var outcome = listingCases == HttpStatusCode.OK ? "Succeeded" : "Refused";
        Assert.Equal([(outcome, agencyId, char.ToUpperInvariant(role[0]) + role[1..])], (await api.AuditOutcomesAsync(personId)).Select(entry => (entry.Outcome!, entry.AgencyId!, entry.Role!)));
    }

    [Fact]
    public async Task AnAdminCannotGrantTheCoordinatorRole()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);
        var path = $"api/admin/people/{personId}/memberships";

        using var response = await api.PostAsync(path, Admin, Grant("midori-kodomo-ka", "coordinator", api.Today));

        await AssertProblemAsync(response, ProblemCatalogue.Forbidden, path);
        await AssertNoMembershipsAsync(api, personId);
        Assert.Contains((AuditActions.AdminMembershipGrant, "Refused"), (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task ACoordinatorGrantsTheCoordinatorRole()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);

        await api.GrantAsync(personId, Grant("midori-kodomo-ka", "coordinator", api.Today), grantor: Coordinator);
        using var response = await api.GetAsync("api/cases?status=accepted", Newcomer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([(AuditActions.AdminMembershipGrant, "Succeeded")], (await api.AuditOutcomesAsync(PersonId(Coordinator))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Theory]
    [InlineData("member")]
    [InlineData("admin")]
    [InlineData("auditor")]
    public async Task ACoordinatorGrantsNoOtherRole(string role)
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);
        var path = $"api/admin/people/{personId}/memberships";

        using var response = await api.PostAsync(path, Coordinator, Grant(School, role, api.Today));

        await AssertProblemAsync(response, ProblemCatalogue.Forbidden, path);
        await AssertNoMembershipsAsync(api, personId);
    }

    [Theory]
    [InlineData(Admin, "admin", "midori-kodomo-ka")]
    [InlineData(Admin, "member", School)]
    [InlineData(Coordinator, "coordinator", "midori-kodomo-ka")]
    public async Task NobodyGrantsThemselvesAMembership(string subject, string role, string agencyId)
    {
        await using var api = await AdminApi.StartAsync();
        var path = $"api/admin/people/{PersonId(subject)}/memberships";

        using var response = await api.PostAsync(path, subject, Grant(agencyId, role, api.Today));

        await AssertProblemAsync(response, ProblemCatalogue.Forbidden, path);
        var (_, memberships) = await api.Host.Get<PeopleDirectory>().FindAsync(PersonId(subject), CancellationToken.None);
        Assert.Single(memberships);
        Assert.Equal([(AuditActions.AdminMembershipGrant, "Refused")], (await api.AuditOutcomesAsync(PersonId(subject))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task GrantWithAnUnknownAgencyAndDatesOutOfOrderIsRefused()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);

        using var response = await api.PostAsync($"api/admin/people/{personId}/memberships", Admin, Grant("no-such-agency", "member", api.Today, api.Today.AddDays(-1)));

        await CaseApi.ValidationErrorsAsync(response, ("$.agencyId", "unknown-agency"), ("$.validTo", "date-order"));
        await AssertNoMembershipsAsync(api, personId);
    }

    [Fact]
    public async Task AMembershipStartsAtMostAYearAheadAndTheLastAllowedDayIsAccepted()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);

        using var tooFar = await api.PostAsync($"api/admin/people/{personId}/memberships", Admin, Grant(School, "member", api.Today.AddDays(Serverless.Administration.AdminLimits.MaxDaysAhead + 1)));
        await CaseApi.ValidationErrorsAsync(tooFar, ("$.validFrom", "too-far-ahead"));
        await AssertNoMembershipsAsync(api, personId);

        using var lastDay = await api.PostAsync($"api/admin/people/{personId}/memberships", Admin, Grant(School, "member", api.Today.AddDays(Serverless.Administration.AdminLimits.MaxDaysAhead)));
        Assert.Equal(HttpStatusCode.Created, lastDay.StatusCode);
    }

    [Fact]
    public async Task BreakGlassIsDesignatedOnlyForCoordinatorsAndChildGuidanceCentreMembersAndOnlyByACoordinator()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);
        var school = Grant(School, "member", api.Today);
        school["mayBreakGlass"] = true;
        var centre = Grant("chuo-jisou", "member", api.Today);
        centre["mayBreakGlass"] = true;

        using var refused = await api.PostAsync($"api/admin/people/{personId}/memberships", Coordinator, school);
        await CaseApi.ValidationErrorsAsync(refused, ("$.mayBreakGlass", "break-glass-not-allowed"));
        await AssertNoMembershipsAsync(api, personId);

        // An admin designating break-glass could hand it to a second account of their own: a coordinator's act.
        using var byAdmin = await api.PostAsync($"api/admin/people/{personId}/memberships", Admin, centre);
        await AssertProblemAsync(byAdmin, ProblemCatalogue.CoordinatorAct, $"api/admin/people/{personId}/memberships");
        await AssertNoMembershipsAsync(api, personId);

        using var granted = await api.PostAsync($"api/admin/people/{personId}/memberships", Coordinator, centre);
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        Assert.True((bool)(await CaseApi.BodyAsync(granted))["mayBreakGlass"]!);
    }

    [Fact]
    public async Task EmptyGrantNamesEveryRequiredFieldInsteadOfFailingAsInvalidJson()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);

        using var response = await api.PostAsync($"api/admin/people/{personId}/memberships", Admin, new JsonObject());
        using var end = await api.PostAsync($"api/admin/people/{PersonId(Teacher)}/memberships/{DemoPeople.Person(Teacher).Membership.MembershipId}/end", Admin, new JsonObject());

        await CaseApi.ValidationErrorsAsync(response, ("$.agencyId", "required"), ("$.role", "required"), ("$.validFrom", "required"));
        await CaseApi.ValidationErrorsAsync(end, ("$.lastDay", "required"));
        await AssertNoMembershipsAsync(api, personId);
    }

    [Fact]
    public async Task GrantToAPersonNobodyRegisteredIsNotFound()
    {
        await using var api = await AdminApi.StartAsync();
        var path = $"api/admin/people/{PersonId(Newcomer)}/memberships";

        using var response = await api.PostAsync(path, Admin, Grant(School, "member", api.Today));

        await AssertProblemAsync(response, ProblemCatalogue.NotFound, path);
    }

    [Fact]
    public async Task EndingAMembershipRefusesThePersonsNextRequestAtOnce()
    {
        await using var api = await AdminApi.StartAsync();
        using var before = await api.GetAsync(SchoolList, Teacher);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        var membershipId = DemoPeople.Person(Teacher).Membership.MembershipId;

        using var ended = await api.PostAsync($"api/admin/people/{PersonId(Teacher)}/memberships/{membershipId}/end", Admin, new JsonObject { ["lastDay"] = Day(api.Today.AddDays(-1)) });
        using var after = await api.GetAsync(SchoolList, Teacher);

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var body = await CaseApi.BodyAsync(ended);
        Assert.Equal((Day(api.Today.AddDays(-1)), false), ((string)body["validTo"]!, (bool)body["activeToday"]!));
        await AssertProblemAsync(after, ProblemCatalogue.NoActiveMembership, SchoolList);
        Assert.Equal([(AuditActions.AdminMembershipEnd, "Succeeded")], (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task MembershipEndingTodayWorksUntilMidnightInJapan()
    {
        await using var api = await AdminApi.StartAsync();
        var membershipId = DemoPeople.Person(Teacher).Membership.MembershipId;
        using var ended = await api.PostAsync($"api/admin/people/{PersonId(Teacher)}/memberships/{membershipId}/end", Admin, new JsonObject { ["lastDay"] = Day(api.Today) });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);

        using var tonight = await api.GetAsync(SchoolList, Teacher);
        api.Clock.SetUtcNow(new DateTimeOffset(api.Today.AddDays(1), TimeOnly.MinValue, TimeSpan.FromHours(9)));
        using var tomorrow = await api.GetAsync(SchoolList, Teacher);

        Assert.Equal(HttpStatusCode.OK, tonight.StatusCode);
        await AssertProblemAsync(tomorrow, ProblemCatalogue.NoActiveMembership, SchoolList);
    }

    [Fact]
    public async Task EndingNeverExtendsAMembership()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);
        var membershipId = await api.GrantAsync(personId, Grant(School, "member", api.Today, api.Today.AddDays(10)));

        using var response = await api.PostAsync($"api/admin/people/{personId}/memberships/{membershipId}/end", Admin, new JsonObject { ["lastDay"] = Day(api.Today.AddDays(100)) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Day(api.Today.AddDays(10)), (string)(await CaseApi.BodyAsync(response))["validTo"]!);
        var stored = await api.Host.Get<PeopleDirectory>().FindMembershipAsync(personId, membershipId, CancellationToken.None);
        Assert.Equal(api.Today.AddDays(10), stored!.Value.Membership.ValidTo);
    }

    [Fact]
    public async Task EndingACoordinatorMembershipNeedsACoordinator()
    {
        await using var api = await AdminApi.StartAsync();
        var membershipId = DemoPeople.Person(OtherCoordinator).Membership.MembershipId;
        var path = $"api/admin/people/{PersonId(OtherCoordinator)}/memberships/{membershipId}/end";
        var body = new JsonObject { ["lastDay"] = Day(api.Today.AddDays(-1)) };

        using var byAdmin = await api.PostAsync(path, Admin, body);
        using var stillWorks = await api.GetAsync("api/cases?status=accepted", OtherCoordinator);
        using var byCoordinator = await api.PostAsync(path, Coordinator, body);
        using var proposedOnly = await api.GetAsync("api/cases?status=accepted", OtherCoordinator);
        using var confirmedByTheOne = await api.PostAsync(path + "/confirm", OtherCoordinator, new JsonObject());
        using var refused = await api.GetAsync("api/cases?status=accepted", OtherCoordinator);

        await AssertProblemAsync(byAdmin, ProblemCatalogue.Forbidden, path);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, byCoordinator.StatusCode); // another coordinator's: a proposal
        Assert.Equal(HttpStatusCode.OK, proposedOnly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, confirmedByTheOne.StatusCode);
        await AssertProblemAsync(refused, ProblemCatalogue.NoActiveMembership, "api/cases");
        Assert.Equal([(AuditActions.AdminMembershipEnd, "Refused")], (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task ACoordinatorCannotEndAMemberMembership()
    {
        await using var api = await AdminApi.StartAsync();
        var membershipId = DemoPeople.Person(Teacher).Membership.MembershipId;
        var path = $"api/admin/people/{PersonId(Teacher)}/memberships/{membershipId}/end";

        using var response = await api.PostAsync(path, Coordinator, new JsonObject { ["lastDay"] = Day(api.Today.AddDays(-1)) });

        await AssertProblemAsync(response, ProblemCatalogue.Forbidden, path);
        using var stillWorks = await api.GetAsync(SchoolList, Teacher);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    [Theory]
    [InlineData(Admin)]
    [InlineData(Coordinator)]
    public async Task AdminsAndCoordinatorsListPeopleWithoutTheirSubjects(string subject)
    {
        await using var api = await AdminApi.StartAsync();

        using var response = await api.GetAsync("api/admin/people?agency=" + School, subject);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var people = (await CaseApi.BodyAsync(response))["people"]!.AsArray();
        Assert.Equal(
            DemoPeople.People.Where(person => person.AgencyId == School).Select(person => person.PersonId).Order(StringComparer.Ordinal),
            people.Select(person => (string)person!["personId"]!));
        Assert.DoesNotContain("teacher-tanaka", people.ToJsonString(), StringComparison.Ordinal);
    }

    private static async Task AssertNoMembershipsAsync(AdminApi api, string personId)
        => Assert.Empty((await api.Host.Get<PeopleDirectory>().FindAsync(personId, CancellationToken.None)).Memberships);
}

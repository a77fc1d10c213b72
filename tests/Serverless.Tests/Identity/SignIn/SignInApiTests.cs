using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Serverless.DevHost;
using Serverless.Identity.Tokens;
using Serverless.Problems;
using Serverless.Tests.Administration;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Identity.SignIn;

/// <summary>Bearer sign-in over HTTP: which membership a person acts through, and which tokens are refused.</summary>
public sealed class SignInApiTests
{
    private const string Newcomer = "newcomer-abe";
    private const string SchoolList = "api/cases?agency=" + School;
    private const string NurseryList = "api/cases?agency=" + Nursery;

    [Fact]
    public async Task TheAprilRotationSwitchesMembershipsAtMidnightJapanTime()
    {
        // 23:59:59 on 31 March in Japan (14:59:59 UTC).
        await using var api = await AdminApi.StartAsync(new DateTimeOffset(2027, 3, 31, 14, 59, 59, TimeSpan.Zero));
        var personId = await api.RegisterAsync(Newcomer);
        var school = await api.GrantAsync(personId, Grant(School, "member", new DateOnly(2026, 4, 1), new DateOnly(2027, 3, 31)));
        var nursery = await api.GrantAsync(personId, Grant(Nursery, "member", new DateOnly(2027, 4, 1)));

        using var schoolBefore = await api.GetAsync(SchoolList, Newcomer);
        using var nurseryBefore = await api.GetAsync(NurseryList, Newcomer);
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        using var schoolAfter = await api.GetAsync(SchoolList, Newcomer);
        using var nurseryAfter = await api.GetAsync(NurseryList, Newcomer);

        Assert.Equal(HttpStatusCode.OK, schoolBefore.StatusCode);
        await AssertProblemAsync(nurseryBefore, ProblemCatalogue.Forbidden, NurseryList);
        await AssertProblemAsync(schoolAfter, ProblemCatalogue.Forbidden, SchoolList);
        Assert.Equal(HttpStatusCode.OK, nurseryAfter.StatusCode);
        Assert.Equal(
            [(School, "Succeeded"), (School, "Refused"), (Nursery, "Refused"), (Nursery, "Succeeded")],
            (await api.AuditOutcomesAsync(personId)).Select(entry => (entry.AgencyId!, entry.Outcome!)));
        Assert.NotEqual(school, nursery);
    }

    [Fact]
    public async Task TwoValidMembershipsWithoutAHeaderAreRefusedNamingBoth()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);
        var school = await api.GrantAsync(personId, Grant(School, "member", api.Today));
        var nursery = await api.GrantAsync(personId, Grant(Nursery, "member", api.Today));

        using var response = await api.GetAsync(SchoolList, Newcomer);

        var expected = string.Join(", ", new[] { (school, School), (nursery, Nursery) }.OrderBy(pair => pair.Item1, StringComparer.Ordinal).Select(pair => $"{pair.Item1} ({pair.Item2}, member)"));
        await AssertProblemAsync(response, ProblemCatalogue.MembershipRequired, SchoolList, detail: "X-Membership-Id: " + expected);
        Assert.Equal([("Unauthenticated", (string?)null)], (await api.AuditOutcomesAsync(personId)).Select(entry => (entry.Outcome!, entry.AgencyId)));
    }

    [Fact]
    public async Task TheMembershipHeaderPicksTheAgencyThePersonActsAs()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);
        var school = await api.GrantAsync(personId, Grant(School, "member", api.Today));
        var nursery = await api.GrantAsync(personId, Grant(Nursery, "member", api.Today));

        using var asSchool = await api.GetAsync(SchoolList, Newcomer, Membership(school));
        using var asNurseryForSchool = await api.GetAsync(SchoolList, Newcomer, Membership(nursery));
        using var asNursery = await api.GetAsync(NurseryList, Newcomer, Membership(nursery));

        Assert.Equal(HttpStatusCode.OK, asSchool.StatusCode);
        await AssertProblemAsync(asNurseryForSchool, ProblemCatalogue.Forbidden, SchoolList);
        Assert.Equal(HttpStatusCode.OK, asNursery.StatusCode);
        Assert.Equal(
            [(School, "Succeeded"), (Nursery, "Refused"), (Nursery, "Succeeded")],
            (await api.AuditOutcomesAsync(personId)).Select(entry => (entry.AgencyId!, entry.Outcome!)));
    }

    [Fact]
    public async Task TheMembershipHeaderCannotNameSomeoneElsesMembershipAnEndedOneOrNonsense()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync(Newcomer);
        var school = await api.GrantAsync(personId, Grant(School, "member", api.Today.AddDays(-10)));
        using var ended = await api.PostAsync($"api/admin/people/{personId}/memberships/{school}/end", Admin, new JsonObject { ["lastDay"] = Day(api.Today.AddDays(-1)) });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        await api.GrantAsync(personId, Grant(Nursery, "member", api.Today));

        using var someoneElses = await api.GetAsync(NurseryList, Newcomer, Membership(DemoPeople.Person("nursery-yamada").Membership.MembershipId));
        using var endedOne = await api.GetAsync(SchoolList, Newcomer, Membership(school));
        using var nonsense = await api.GetAsync(NurseryList, Newcomer, Membership("'; drop table"));
        using var without = await api.GetAsync(NurseryList, Newcomer);

        await AssertProblemAsync(someoneElses, ProblemCatalogue.UnknownMembership, NurseryList);
        await AssertProblemAsync(endedOne, ProblemCatalogue.UnknownMembership, SchoolList);
        await AssertProblemAsync(nonsense, ProblemCatalogue.UnknownMembership, NurseryList);
        Assert.Equal(HttpStatusCode.OK, without.StatusCode); // one valid membership left: no header needed
    }

    [Fact]
    public async Task ExpiredTokenIsUnauthenticated()
    {
        await using var api = await AdminApi.StartAsync();
        var minted = new FakeTimeProvider(api.Clock.GetUtcNow() - TimeSpan.FromHours(1) - BearerTokenValidator.ClockSkew - TimeSpan.FromSeconds(1));
        var token = DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, Teacher, TimeSpan.FromHours(1), minted);

        using var response = await api.GetAsync(SchoolList, null, request => request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));

        await AssertProblemAsync(response, ProblemCatalogue.Unauthenticated, SchoolList);
    }

    [Fact]
    public async Task TokenSignedWithAnotherKeyIsUnauthenticated()
    {
        await using var api = await AdminApi.StartAsync();
        var token = DevelopmentTokens.Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Teacher, TimeSpan.FromHours(1), api.Clock);

        using var response = await api.GetAsync(SchoolList, null, request => request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token));

        await AssertProblemAsync(response, ProblemCatalogue.Unauthenticated, SchoolList);
    }

    [Fact]
    public async Task TokenOnTheHostClockSignsADemoPersonIn()
    {
        await using var api = await AdminApi.StartAsync();

        using var response = await api.GetAsync(SchoolList, Teacher);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static Action<HttpRequestMessage> Membership(string membershipId)
        => request => request.Headers.TryAddWithoutValidation("X-Membership-Id", membershipId);
}

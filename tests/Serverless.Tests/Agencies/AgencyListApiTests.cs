using System.Net;
using System.Text.Json.Nodes;
using Serverless.Agencies;
using Serverless.Audit;
using Serverless.Problems;
using Serverless.Tests.Administration;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Agencies;

/// <summary><c>GET /api/agencies</c>: the names behind agency ids, for every signed-in person and never for a form's key.</summary>
public sealed class AgencyListApiTests
{
    private const string Path = "api/agencies";

    [Theory]
    [InlineData(Teacher)]
    [InlineData(Coordinator)]
    [InlineData(Admin)]
    [InlineData(Auditor)]
    public async Task EverySignedInPersonReadsEveryAgencyByKindThenName(string person)
    {
        await using var api = await AdminApi.StartAsync();

        using var response = await api.GetAsync(Path, person);

        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.False((bool)body["truncated"]!);
        // The demo council: the division and the centre first (AgencyKind's order), each with its Japanese name.
        Assert.Equal(
            [
                ("midori-kodomo-ka", "みどり市 子ども家庭課", "municipal-division"),
                ("chuo-jisou", "県中央児童相談所", "child-guidance-centre"),
                ("midori-kyoiku-iinkai", "みどり市教育委員会", "board-of-education"),
                ("minami-shogakko", "みどり市立南小学校", "school"),
                ("hikari-hoikuen", "ひかり保育園", "nursery"),
                ("midori-hoken-center", "みどり市保健センター", "public-health-centre"),
            ],
            body["agencies"]!.AsArray().Select(agency => ((string)agency!["agencyId"]!, (string)agency["name"]!, (string)agency["kind"]!)));
        Assert.All(body["agencies"]!.AsArray(), agency => Assert.Equal(["agencyId", "name", "kind"], agency!.AsObject().Select(property => property.Key)));
    }

    [Fact]
    public async Task WithinAKindNamesSortInCodePointOrderAndAHostileNameIsReturnedAsStored()
    {
        await using var api = await AdminApi.StartAsync();
        var directory = api.Host.Get<AgencyDirectory>();
        await directory.SaveAsync(new Agency("zz-school", "<script>alert(1)</script>", AgencyKind.School), CancellationToken.None);
        await directory.SaveAsync(new Agency("aa-school", "あおぞら小学校", AgencyKind.School), CancellationToken.None);

        using var response = await api.GetAsync(Path, Teacher);

        var schools = (await CaseApi.BodyAsync(response))["agencies"]!.AsArray().Where(agency => (string)agency!["kind"]! == "school").Select(agency => (string)agency!["agencyId"]!);
        Assert.Equal(["zz-school", "aa-school", "minami-shogakko"], schools); // '<' < 'あ' < 'み'
    }

    [Fact]
    public async Task MoreThanFiveHundredAgenciesAnswerTheFirstFiveHundredMarkedTruncated()
    {
        await using var api = await AdminApi.StartAsync();
        var directory = api.Host.Get<AgencyDirectory>();
        // 495 more beside the demo council's 6: 501 in all.
        await Parallel.ForEachAsync(Enumerable.Range(0, 495), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (index, token) =>
            await directory.SaveAsync(new Agency($"npo-{index:D3}", $"NPO法人 {index:D3}", AgencyKind.Npo), token));

        using var response = await api.GetAsync(Path, Coordinator);

        var body = await CaseApi.BodyAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AgencyListing.MaxAgencies, body["agencies"]!.AsArray().Count);
        Assert.True((bool)body["truncated"]!);
        Assert.Equal("npo-493", (string)body["agencies"]!.AsArray()[^1]!["agencyId"]!); // the last NPO by name is left out
    }

    [Fact]
    public async Task ASubmissionKeyIsForbiddenAndTheRefusalIsAudited()
    {
        await using var api = await AdminApi.StartAsync();
        var (key, keyId) = await api.IssueKeyAsync(School);

        using var response = await api.WithKeyAsync(HttpMethod.Get, Path, key);

        await AssertProblemAsync(response, ProblemCatalogue.Forbidden, Path);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal([(AuditActions.AgenciesRead, "Refused")], (await api.AuditOutcomesAsync(keyId)).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task AnAnonymousCallerIsUnauthenticatedAndAPersonsReadIsAudited()
    {
        await using var api = await AdminApi.StartAsync();

        using var anonymous = await api.GetAsync(Path, null);
        using var read = await api.GetAsync(Path, Teacher);

        await AssertProblemAsync(anonymous, ProblemCatalogue.Unauthenticated, Path);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal([(AuditActions.AgenciesRead, "Succeeded")], (await api.AuditOutcomesAsync(PersonId(Teacher))).Select(entry => (entry.Action, entry.Outcome)));
    }
}

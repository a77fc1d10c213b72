using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Council;

/// <summary><c>GET /api/ledger</c>: the review ledger (進行管理台帳), overdue first, each case as the caller may see it.</summary>
public sealed class LedgerTests
{
    private static readonly DateOnly Today = CaseApi.Today;

    [Fact]
    public async Task CoordinatorsSeeEveryOpenCaseOverdueFirstWithDaysOverdueAndNoClosedOnes()
    {
        await using var api = await CaseApi.StartAsync();
        var dueIn5 = await CreateAsync(api, "accepted", Today.AddDays(5));
        var overdue10 = await CreateAsync(api, "accepted", Today.AddDays(-10), risk: "high");
        var undated = await CreateAsync(api, "registered", null);
        var overdue3 = await CreateAsync(api, "registered", Today.AddDays(-3));

        var page = await LedgerAsync(api, "");

        Assert.Equal([overdue10, overdue3, dueIn5, undated], Ids(page));
        var first = page["cases"]![0]!;
        Assert.Equal((10, "accepted", "high", "midori-kodomo-ka", "minami-shogakko", "2025-06-06"), ((int)first["daysOverdue"]!, (string?)first["status"], (string?)first["riskLevel"], (string?)first["leadAgencyId"], (string?)first["keyAgencyId"], (string?)first["nextReviewDate"]));
        Assert.Null(first["lastReview"]);
        Assert.Equal("太郎", (string?)first["name"]!["given"]);
        Assert.Equal([10, 3, 0, 0], page["cases"]!.AsArray().Select(row => (int)row!["daysOverdue"]!));
        Assert.Equal("2025-06-16", (string?)page["today"]);
        Assert.Null(page["continuationToken"]);
        Assert.Equal([overdue3, undated], Ids(await LedgerAsync(api, "?status=registered")));
        Assert.Equal([overdue10, overdue3], Ids(await LedgerAsync(api, "?reviewDueBefore=" + Day(Today))));
    }

    [Fact]
    public async Task PagesOfTheMergedStatusesFollowOneAnotherWithoutGapsOrRepeats()
    {
        await using var api = await CaseApi.StartAsync();
        var expected = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            expected.Add(await CreateAsync(api, i % 2 == 0 ? "accepted" : "registered", Today.AddDays(i - 3)));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await LedgerAsync(api, "?pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            Assert.True(page["cases"]!.AsArray().Count <= 2);
            seen.AddRange(Ids(page));
            token = (string?)page["continuationToken"];
            pages++;
        }
        while (token is not null && pages < 10);

        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task MembersSeeOnlyTheirOwnAgencysCasesTheyAreNamedOnAndCannotAskForAnother()
    {
        await using var api = await CaseApi.StartAsync();
        var school = await CreateAsync(api, "registered", Today.AddDays(1));
        await CreateAsync(api, "registered", Today.AddDays(2), key: "hikari-hoikuen");

        Assert.Equal([school], Ids(await LedgerAsync(api, "", "teacher-tanaka")));
        Assert.Empty(Ids(await LedgerAsync(api, "", "teacher-kimura"))); // of the school, not named on the case
        using var other = await api.SendAsync(HttpMethod.Get, "api/ledger?agency=hikari-hoikuen", "teacher-tanaka");
        await CaseApi.ProblemAsync(other, ProblemCatalogue.Forbidden);
        using var admin = await api.SendAsync(HttpMethod.Get, "api/ledger", "admin-kobayashi");
        await CaseApi.ProblemAsync(admin, ProblemCatalogue.Forbidden);
    }

    [Fact]
    public async Task ACoordinatorBarredFromACaseDoesNotFindItInTheLedger()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.NameDemoStaff(Record("registered", Today.AddDays(-1), "minami-shogakko", null));
        record["barredPersonIds"] = new JsonArray(DemoPeople.PersonId("coordinator-mori"));
        var barred = await api.CreateIdAsync(record);
        var open = await CreateAsync(api, "registered", Today.AddDays(1));

        Assert.Equal([open], Ids(await LedgerAsync(api, "", "coordinator-mori")));
        Assert.Equal([barred, open], Ids(await LedgerAsync(api, "")));
    }

    [Fact]
    public async Task BadQueriesAreRefusedWithTheFieldNamed()
    {
        await using var api = await CaseApi.StartAsync();
        using var size = await api.SendAsync(HttpMethod.Get, "api/ledger?pageSize=101", CaseApi.Coordinator);
        await CaseApi.ValidationErrorsAsync(size, ("$.pageSize", "out-of-range"));
        using var token = await api.SendAsync(HttpMethod.Get, "api/ledger?continuationToken=nonsense", CaseApi.Coordinator);
        await CaseApi.ValidationErrorsAsync(token, ("$.continuationToken", "invalid-id"));
        using var status = await api.SendAsync(HttpMethod.Get, "api/ledger?status=open", CaseApi.Coordinator);
        await CaseApi.ValidationErrorsAsync(status, ("$.status", "invalid-value"));
    }

    internal static JsonObject Record(string status, DateOnly? review, string? key, string? risk)
    {
        var record = CaseApi.ValidRecord();
        record["status"] = status;
        record["keyAgencyId"] = key;
        if (review is { } day)
        {
            record["nextReviewDate"] = Day(day);
        }

        if (risk is not null)
        {
            record["riskLevel"] = risk;
        }

        return record;
    }

    internal static Task<string> CreateAsync(CaseApi api, string status, DateOnly? review, string? key = "minami-shogakko", string? risk = null)
        => api.CreateIdAsync(CaseApi.NameDemoStaff(Record(status, review, key, risk)));

    internal static async Task<JsonObject> LedgerAsync(CaseApi api, string query, string person = CaseApi.Coordinator)
    {
        using var response = await api.SendAsync(HttpMethod.Get, "api/ledger" + query, person);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    internal static List<string> Ids(JsonObject page) => [.. page["cases"]!.AsArray().Select(row => (string)row!["caseId"]!)];

    internal static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

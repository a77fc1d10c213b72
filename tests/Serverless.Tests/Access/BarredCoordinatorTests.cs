using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Audit.Integration.AuditedRequests;

namespace Serverless.Tests.Access;

/// <summary>
/// A bar keeps a coordinator out of a case everywhere the case could surface, not only at its own URL: the search,
/// the duplicate check when registering a child, the case lists and the audit trail answer as if it did not exist.
/// </summary>
public sealed class BarredCoordinatorTests
{
    private const string Barred = "coordinator-mori";
    private const string Other = "coordinator-sato";

    private static JsonObject BarredRecord()
    {
        var record = SchoolRecord();
        record["barredPersonIds"] = new JsonArray(DemoPeople.PersonId(Barred));
        return record;
    }

    /// <summary>The school as key agency, its staff named (teacher-tanaka among them).</summary>
    private static JsonObject SchoolRecord()
    {
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        return CaseApi.NameDemoStaff(record);
    }

    private static string KanaName(JsonObject record)
        => (string)record["child"]!["name"]!["familyKana"]! + (string)record["child"]!["name"]!["givenKana"]!;

    [Fact]
    public async Task ABarredCoordinatorsSearchLooksExactlyLikeASearchThatMatchesNothing()
    {
        await using var api = await CaseApi.StartAsync();
        var record = BarredRecord();
        var caseId = await api.CreateIdAsync(record);

        using var barred = await api.SearchAsync(new JsonObject { ["name"] = KanaName(record) }, Barred);
        using var nobody = await api.SearchAsync(new JsonObject { ["name"] = "ダレモイナイ" }, Barred);
        using var other = await api.SearchAsync(new JsonObject { ["name"] = KanaName(record) }, Other);

        Assert.Equal(HttpStatusCode.OK, barred.StatusCode);
        Assert.Equal(HttpStatusCode.OK, nobody.StatusCode);
        Assert.Equal(await nobody.Content.ReadAsStringAsync(), await barred.Content.ReadAsStringAsync());
        Assert.Equal(barred.Content.Headers.ContentType?.ToString(), nobody.Content.Headers.ContentType?.ToString());
        Assert.Equal([caseId], (await CaseApi.BodyAsync(other))["candidates"]!.AsArray().Select(candidate => (string)candidate!["caseId"]!));
        var (_, outcome) = await PairAsync(api.Host, barred);
        Assert.DoesNotContain(caseId, outcome.CasesTouched ?? "", StringComparison.Ordinal);
    }

    /// <summary>The barred coordinator must not register the child a second time unknowingly, nor learn which case
    /// it is: 409 naming no case, saying a case they cannot see may match (another coordinator decides). Confirming
    /// the hidden id blind does not get past it.</summary>
    [Fact]
    public async Task RegisteringAChildWhoseOnlyPossibleDuplicateIsBarredIs409NamingNoCase()
    {
        await using var api = await CaseApi.StartAsync();
        var record = BarredRecord();
        var caseId = await api.CreateIdAsync(record);
        var again = CaseApi.ValidRecord();
        again["child"] = record["child"]!.DeepClone();

        using var barred = await api.CreateAsync(again, Barred, language: "en");
        using var blind = await api.CreateAsync(again, Barred, confirmed: [caseId]);
        using var other = await api.CreateAsync(again, Other);

        var body = await CaseApi.ProblemAsync(barred, ProblemCatalogue.PossibleDuplicate, ProblemLanguage.English);
        Assert.Empty(body["candidateCaseIds"]!.AsArray());
        Assert.Equal("A case you cannot see may concern this child. Do not register it: ask another coordinator to check and register it if needed.", (string?)body["detail"]);
        Assert.DoesNotContain(caseId, body.ToJsonString(), StringComparison.Ordinal);
        var blindBody = await CaseApi.ProblemAsync(blind, ProblemCatalogue.PossibleDuplicate);
        Assert.Empty(blindBody["candidateCaseIds"]!.AsArray());
        var otherBody = await CaseApi.ProblemAsync(other, ProblemCatalogue.PossibleDuplicate);
        Assert.Equal([caseId], otherBody["candidateCaseIds"]!.AsArray().Select(id => (string)id!));
    }

    [Fact]
    public async Task ACaseListLeavesOutACaseTheCoordinatorIsBarredFrom()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(BarredRecord());

        using var byStatus = await api.ListAsync("?status=accepted", Barred);
        using var byAgency = await api.ListAsync("?agency=minami-shogakko", Barred);
        using var other = await api.ListAsync("?status=accepted", Other);

        Assert.Empty((await CaseApi.BodyAsync(byStatus))["cases"]!.AsArray());
        Assert.Empty((await CaseApi.BodyAsync(byAgency))["cases"]!.AsArray());
        Assert.Contains((await CaseApi.BodyAsync(other))["cases"]!.AsArray(), view => (string?)view!["caseId"] == caseId);
    }

    [Fact]
    public async Task TheAuditByActorLeavesOutRowsOfACaseTheCoordinatorIsBarredFrom()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(BarredRecord());
        var seen = await api.CreateIdAsync(SchoolRecord());
        foreach (var read in new[] { caseId, seen })
        {
            using var response = await api.GetAsync(read, "teacher-tanaka");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var query = $"api/audit?actor={DemoPeople.PersonId("teacher-tanaka")}&from=2025-06-01&to=2025-06-30";
        using var barred = await api.SendAsync(HttpMethod.Get, query, Barred);
        using var other = await api.SendAsync(HttpMethod.Get, query, Other);
        using var auditor = await api.SendAsync(HttpMethod.Get, query, "auditor-watanabe");

        Assert.Equal(HttpStatusCode.OK, barred.StatusCode);
        var barredText = await barred.Content.ReadAsStringAsync();
        Assert.DoesNotContain(caseId, barredText, StringComparison.Ordinal);
        Assert.Contains(seen, barredText, StringComparison.Ordinal);
        Assert.Contains(caseId, await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(caseId, await auditor.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A missing case has no audit rows: 200 with none. A barred one answers exactly that, and the audit of
    /// the read itself keeps them apart (refused, not succeeded).</summary>
    [Fact]
    public async Task TheAuditByCaseAnswersABarredCaseExactlyLikeAMissingOne()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(BarredRecord());

        using var barred = await api.SendAsync(HttpMethod.Get, $"api/audit?caseId={caseId}", Barred);
        using var missing = await api.SendAsync(HttpMethod.Get, $"api/audit?caseId={Serverless.Cases.CaseIds.New()}", Barred);

        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Equal(HttpStatusCode.OK, barred.StatusCode);
        Assert.Equal(await missing.Content.ReadAsStringAsync(), await barred.Content.ReadAsStringAsync());
        Assert.Equal(missing.Content.Headers.ContentType?.ToString(), barred.Content.Headers.ContentType?.ToString());
        var (_, refused) = await PairAsync(api.Host, barred);
        var (_, succeeded) = await PairAsync(api.Host, missing);
        Assert.Equal(nameof(AuditOutcome.Refused), refused.Outcome);
        Assert.Equal(nameof(AuditOutcome.Succeeded), succeeded.Outcome);
    }
}

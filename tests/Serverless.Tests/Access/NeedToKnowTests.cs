using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Access;

/// <summary>
/// Need to know through the API: a member sees a case only while named on it for an agency that takes part
/// that day; a bar wins over everything, coordinators included; the bar list is for coordinators' eyes only.
/// Every refusal is the same 404 a missing case gets.
/// </summary>
public sealed class NeedToKnowTests
{
    private static string Id(string subject) => DemoPeople.PersonId(subject);

    /// <summary>Led by the division, the school as key agency, tanaka named for the school (kimura is not).</summary>
    private static JsonObject SchoolCase()
    {
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        record["staff"] = new JsonArray(new JsonObject { ["personId"] = Id("teacher-tanaka"), ["agencyId"] = "minami-shogakko" });
        return record;
    }

    [Fact]
    public async Task AMemberOfATakingPartAgencyWhoIsNotNamedGets404OnReadHistoryAndChange()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(SchoolCase());

        await CaseApi.ProblemAsync(await api.GetAsync(caseId, "teacher-kimura"), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await api.HistoryAsync(caseId, person: "teacher-kimura"), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await api.PatchAsync(caseId, "\"v1\"", "理由", new JsonObject { ["notes"] = "x" }, "teacher-kimura"), ProblemCatalogue.NotFound);
    }

    [Fact]
    public async Task ANamedMemberReadsTheCaseAndItsHistoryButMayNotChangeIt()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(SchoolCase());

        using var read = await api.GetAsync(caseId, "teacher-tanaka");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(caseId, (string?)(await CaseApi.BodyAsync(read))["caseId"]);
        using var history = await api.HistoryAsync(caseId, person: "teacher-tanaka");
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        await CaseApi.ProblemAsync(await api.PatchAsync(caseId, "\"v1\"", "理由", new JsonObject { ["notes"] = "x" }, "teacher-tanaka"), ProblemCatalogue.Forbidden);
    }

    [Fact]
    public async Task ANamedMemberWhoseAgencyParticipationEndedGets404()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["participants"] = new JsonArray(
            new JsonObject { ["agencyId"] = "hikari-hoikuen", ["from"] = "2025-01-06", ["to"] = "2025-06-15" }, // ended yesterday in Japan
            new JsonObject { ["agencyId"] = "midori-hoken-center", ["from"] = "2025-01-06", ["to"] = "2025-06-16" }); // ends today
        record["staff"] = new JsonArray(
            new JsonObject { ["personId"] = Id("nursery-yamada"), ["agencyId"] = "hikari-hoikuen" },
            new JsonObject { ["personId"] = Id("nurse-suzuki"), ["agencyId"] = "midori-hoken-center" });
        var caseId = await api.CreateIdAsync(record);

        await CaseApi.ProblemAsync(await api.GetAsync(caseId, "nursery-yamada"), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await api.HistoryAsync(caseId, person: "nursery-yamada"), ProblemCatalogue.NotFound);
        using var stillIn = await api.GetAsync(caseId, "nurse-suzuki");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }

    [Fact]
    public async Task ACaseThatNamesAndBarsTheSamePersonIsRefused()
    {
        await using var api = await CaseApi.StartAsync();
        var record = SchoolCase();
        record["barredPersonIds"] = new JsonArray(Id("teacher-tanaka"));

        using var response = await api.CreateAsync(record);

        await CaseApi.ValidationErrorsAsync(response, ("$.record.barredPersonIds[0]", "barred-and-named"));
    }

    [Fact]
    public async Task NamingABarredPersonLaterIsRefusedToo()
    {
        await using var api = await CaseApi.StartAsync();
        var record = SchoolCase();
        record["barredPersonIds"] = new JsonArray(Id("teacher-kimura"));
        var caseId = await api.CreateIdAsync(record);
        var staff = new JsonArray(
            new JsonObject { ["personId"] = Id("teacher-tanaka"), ["agencyId"] = "minami-shogakko" },
            new JsonObject { ["personId"] = Id("teacher-kimura"), ["agencyId"] = "minami-shogakko" });

        using var response = await api.PatchAsync(caseId, "\"v1\"", "担当追加", new JsonObject { ["staff"] = staff });

        await CaseApi.ValidationErrorsAsync(response, ("$.changes.barredPersonIds[0]", "barred-and-named"));
        await CaseApi.ProblemAsync(await api.GetAsync(caseId, "teacher-kimura"), ProblemCatalogue.NotFound);
    }

    [Fact]
    public async Task ABarredCoordinatorGets404LikeAMissingCase()
    {
        await using var api = await CaseApi.StartAsync();
        var record = SchoolCase();
        record["barredPersonIds"] = new JsonArray(Id("coordinator-mori"));
        var caseId = await api.CreateIdAsync(record);

        using var barred = await api.GetAsync(caseId, "coordinator-mori");
        using var missing = await api.GetAsync(Serverless.Cases.CaseIds.New(), "coordinator-mori");

        await CaseApi.ProblemAsync(barred, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(missing, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await api.HistoryAsync(caseId, person: "coordinator-mori"), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await api.PatchAsync(caseId, "\"v1\"", "理由", new JsonObject { ["notes"] = "x" }, "coordinator-mori"), ProblemCatalogue.NotFound);
    }

    [Fact]
    public async Task OnlyCoordinatorsSeeWhoIsBarred()
    {
        await using var api = await CaseApi.StartAsync();
        var record = SchoolCase();
        record["barredPersonIds"] = new JsonArray(Id("teacher-kimura"));
        var caseId = await api.CreateIdAsync(record);

        using var coordinator = await api.GetAsync(caseId);
        using var member = await api.GetAsync(caseId, "teacher-tanaka");
        using var memberHistory = await api.HistoryAsync(caseId, person: "teacher-tanaka");
        using var memberList = await api.ListAsync("?agency=minami-shogakko", "teacher-tanaka");

        Assert.Equal([Id("teacher-kimura")], (await CaseApi.BodyAsync(coordinator))["record"]!["barredPersonIds"]!.AsArray().Select(id => (string)id!));
        Assert.Empty((await CaseApi.BodyAsync(member))["record"]!["barredPersonIds"]?.AsArray() ?? []);
        var history = await CaseApi.BodyAsync(memberHistory);
        Assert.All(history["versions"]!.AsArray(), version => Assert.Empty(version!["record"]!["barredPersonIds"]?.AsArray() ?? []));
        var list = await CaseApi.BodyAsync(memberList);
        Assert.Single(list["cases"]!.AsArray());
        Assert.All(list["cases"]!.AsArray(), view => Assert.Empty(view!["record"]!["barredPersonIds"]?.AsArray() ?? []));
        Assert.DoesNotContain(Id("teacher-kimura"), list.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StaffMustBeNamedForAnAgencyOnTheCaseWithAValidIdAndOnce()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        record["staff"] = new JsonArray(
            new JsonObject { ["personId"] = Id("nursery-yamada"), ["agencyId"] = "hikari-hoikuen" },
            new JsonObject { ["personId"] = "鈴木さん", ["agencyId"] = "minami-shogakko" },
            new JsonObject { ["personId"] = Id("teacher-tanaka"), ["agencyId"] = "minami-shogakko" },
            new JsonObject { ["personId"] = Id("teacher-tanaka"), ["agencyId"] = "minami-shogakko" });

        using var response = await api.CreateAsync(record);

        await CaseApi.ValidationErrorsAsync(
            response,
            ("$.record.staff[0].agencyId", "agency-not-on-case"),
            ("$.record.staff[1].personId", "invalid-id"),
            ("$.record.staff[3]", "duplicate"));
    }
}

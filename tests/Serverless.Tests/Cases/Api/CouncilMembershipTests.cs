using System.Net;
using System.Text.Json.Nodes;
using Serverless.Agencies;
using Serverless.Problems;

namespace Serverless.Tests.Cases.Api;

/// <summary>
/// Only formal council members (要保護児童対策地域協議会の構成機関) that have acknowledged the confidentiality duty
/// of Child Welfare Act art. 25-5 take part in a case, unless a coordinator records why (<c>participationException</c>).
/// </summary>
public sealed class CouncilMembershipTests
{
    private const string Outsider = "soto-npo";
    private const string Unacknowledged = "mikakunin-clinic";

    private static async Task<CaseApi> StartAsync()
    {
        var api = await CaseApi.StartAsync();
        var directory = api.Host.Get<AgencyDirectory>();
        await directory.SaveAsync(new Agency(Outsider, "架空のNPO", AgencyKind.School, IsCouncilMember: false, ConfidentialityAcknowledgedOn: new DateOnly(2024, 4, 1)), CancellationToken.None);
        await directory.SaveAsync(new Agency(Unacknowledged, "架空の診療所", AgencyKind.School, IsCouncilMember: true), CancellationToken.None);
        return api;
    }

    private static JsonObject Participant(string agencyId) => new() { ["agencyId"] = agencyId, ["from"] = "2025-04-01" };

    [Theory]
    [InlineData(Outsider)]
    [InlineData(Unacknowledged)]
    public async Task AParticipantThatIsNotAnAcknowledgedMemberIsRefusedAtCreation(string agencyId)
    {
        await using var api = await StartAsync();
        var record = CaseApi.ValidRecord();
        record["participants"] = new JsonArray(Participant(agencyId));

        using var response = await api.CreateAsync(record, language: "en");

        var problem = await CaseApi.ProblemAsync(response, ProblemCatalogue.AgencyNotCouncilMember, ProblemLanguage.English);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains(agencyId, problem.ToJsonString());
        using var list = await api.ListAsync("?status=accepted");
        Assert.Empty((await CaseApi.BodyAsync(list))["cases"]!.AsArray());
    }

    [Theory]
    [InlineData("participants")]
    [InlineData("keyAgencyId")]
    public async Task PatchAddingANonMemberIsRefusedAndChangesNothing(string where)
    {
        await using var api = await StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        JsonObject changes = where == "participants"
            ? new() { ["participants"] = new JsonArray(Participant(Outsider)) }
            : new() { ["keyAgencyId"] = Outsider };

        using var response = await api.PatchAsync(caseId, "\"v1\"", "参加機関の追加", changes);

        await CaseApi.ProblemAsync(response, ProblemCatalogue.AgencyNotCouncilMember);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        using var get = await api.GetAsync(caseId);
        Assert.Equal(1, (long)(await CaseApi.BodyAsync(get))["version"]!);
    }

    [Fact]
    public async Task CoordinatorWithAReasonAddsANonMemberAndHistoryShowsTheReason()
    {
        await using var api = await StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        var body = new JsonObject
        {
            ["reason"] = "参加機関の追加",
            ["changes"] = new JsonObject { ["participants"] = new JsonArray(Participant(Outsider)) },
            ["participationException"] = "構成機関への加入手続中。個別ケース検討会議で守秘を確認済み",
        };

        using var response = await api.PatchRawAsync(caseId, "\"v1\"", CaseApi.Json(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var history = await api.HistoryAsync(caseId);
        Assert.Contains("構成機関への加入手続中", (await CaseApi.BodyAsync(history)).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task AMemberCannotRecordAnException()
    {
        await using var api = await StartAsync();
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        CaseApi.NameDemoStaff(record);
        var caseId = await api.CreateIdAsync(record);
        var body = new JsonObject
        {
            ["reason"] = "参加機関の追加",
            ["changes"] = new JsonObject { ["participants"] = new JsonArray(Participant(Outsider)) },
            ["participationException"] = "理由",
        };

        using var response = await api.PatchRawAsync(caseId, "\"v1\"", CaseApi.Json(body), "teacher-tanaka");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task AnAcknowledgedMemberIsAcceptedAsBefore()
    {
        await using var api = await StartAsync();
        var record = CaseApi.ValidRecord();
        record["participants"] = new JsonArray(Participant("hikari-hoikuen"));

        using var response = await api.CreateAsync(record);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

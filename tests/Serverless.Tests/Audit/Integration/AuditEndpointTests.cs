using System.Net;
using Serverless.Audit;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Audit.Integration.AuditedRequests;

namespace Serverless.Tests.Audit.Integration;

/// <summary><c>GET api/audit</c>: coordinators and auditors read it, nobody else; the window is bounded; and reading the audit is itself audited.</summary>
public sealed class AuditEndpointTests
{
    private static async Task<string> CaseReadByTanakaAsync(CaseApi api)
    {
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        var caseId = await api.CreateIdAsync(CaseApi.NameDemoStaff(record));
        using var read = await api.GetAsync(caseId, "teacher-tanaka");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        return caseId;
    }

    [Theory]
    [InlineData("coordinator-sato", "Coordinator")]
    [InlineData("auditor-watanabe", "Auditor")]
    public async Task CoordinatorsAndAuditorsReadWhoTouchedACaseAndThatReadIsAudited(string person, string role)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await CaseReadByTanakaAsync(api);

        using var response = await api.SendAsync(HttpMethod.Get, $"api/audit?caseId={caseId}", person);

        var body = await CaseApi.BodyAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            [(AuditActions.CaseCreate, DemoPeople.PersonId("coordinator-sato")), (AuditActions.CaseRead, DemoPeople.PersonId("teacher-tanaka"))],
            body["entries"]!.AsArray().Select(entry => ((string)entry!["action"]!, (string)entry["actorId"]!)).Order());
        Assert.All(body["entries"]!.AsArray(), entry => Assert.Equal(caseId, (string?)entry!["caseId"]));

        var (intent, outcome) = await PairAsync(api.Host, response);
        Assert.Equal(AuditActions.AuditRead, outcome.Action);
        Assert.Equal(caseId, intent.CaseId);
        Assert.Equal(DemoPeople.PersonId(person), outcome.ActorId);
        Assert.Equal(role, outcome.Role);
        Assert.Equal(nameof(AuditOutcome.Succeeded), outcome.Outcome);
    }

    [Fact]
    public async Task ACoordinatorBarredFromACaseCannotReadItsAuditWhileOthersCan()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["barredPersonIds"] = new System.Text.Json.Nodes.JsonArray(DemoPeople.PersonId("coordinator-mori"));
        var caseId = await api.CreateIdAsync(record);

        using var barred = await api.SendAsync(HttpMethod.Get, $"api/audit?caseId={caseId}", "coordinator-mori");
        using var other = await api.SendAsync(HttpMethod.Get, $"api/audit?caseId={caseId}", "coordinator-sato");
        using var auditor = await api.SendAsync(HttpMethod.Get, $"api/audit?caseId={caseId}", "auditor-watanabe");

        Assert.Equal(HttpStatusCode.OK, barred.StatusCode); // like a missing case: no entries (BarredCoordinatorTests)
        Assert.Empty((await CaseApi.BodyAsync(barred))["entries"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.NotEmpty((await CaseApi.BodyAsync(other))["entries"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, auditor.StatusCode);
        var (_, outcome) = await PairAsync(api.Host, barred);
        Assert.Equal(nameof(AuditOutcome.Refused), outcome.Outcome);
    }

    [Theory]
    [InlineData("teacher-tanaka")]
    [InlineData("admin-kobayashi")]
    public async Task MembersAndAdminsMayNotReadTheAuditAndTheirAttemptIsAudited(string person)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await CaseReadByTanakaAsync(api);

        using var byCase = await api.SendAsync(HttpMethod.Get, $"api/audit?caseId={caseId}", person);
        using var byActor = await api.SendAsync(HttpMethod.Get, $"api/audit?actor={DemoPeople.PersonId(person)}&from=2025-06-01&to=2025-06-30", person);

        await CaseApi.ProblemAsync(byCase, ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(byActor, ProblemCatalogue.Forbidden);
        var (_, outcome) = await PairAsync(api.Host, byCase);
        Assert.Equal(AuditActions.AuditRead, outcome.Action);
        Assert.Equal(nameof(AuditOutcome.Refused), outcome.Outcome);
        Assert.Contains(await ByCaseAsync(api.Host, caseId), entry => entry.Action == AuditActions.AuditRead && entry.Outcome == nameof(AuditOutcome.Refused));
    }

    [Fact]
    public async Task ByActorReadsOneWindowOfAtMost31Days()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await CaseReadByTanakaAsync(api);
        var tanaka = DemoPeople.PersonId("teacher-tanaka");

        using var window = await api.SendAsync(HttpMethod.Get, $"api/audit?actor={tanaka}&from=2025-06-16&to=2025-06-16", "auditor-watanabe");
        using var longest = await api.SendAsync(HttpMethod.Get, $"api/audit?actor={tanaka}&from=2025-06-01&to=2025-07-01", "auditor-watanabe");
        using var tooLong = await api.SendAsync(HttpMethod.Get, $"api/audit?actor={tanaka}&from=2025-06-01&to=2025-07-02", "auditor-watanabe");
        using var missingTo = await api.SendAsync(HttpMethod.Get, $"api/audit?actor={tanaka}&from=2025-06-01", "auditor-watanabe");

        var entries = (await CaseApi.BodyAsync(window))["entries"]!.AsArray();
        Assert.Equal([AuditEntryKinds.Intent, AuditEntryKinds.Outcome], entries.Select(entry => (string)entry!["kind"]!).Order());
        Assert.All(entries, entry => Assert.Equal((AuditActions.CaseRead, caseId), ((string)entry!["action"]!, (string)entry["caseId"]!)));
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode); // the whole of June and 1 July: 31 days
        Assert.Equal(2, (await CaseApi.BodyAsync(longest))["entries"]!.AsArray().Count);
        await CaseApi.ValidationErrorsAsync(tooLong, ("$.to", "out-of-range")); // to the end of 2 July: one day more
        await CaseApi.ValidationErrorsAsync(missingTo, ("$.to", "required"));
        var (_, refusedWindow) = await PairAsync(api.Host, tooLong);
        Assert.Equal((AuditActions.AuditRead, nameof(AuditOutcome.Invalid)), (refusedWindow.Action, refusedWindow.Outcome));
    }
}

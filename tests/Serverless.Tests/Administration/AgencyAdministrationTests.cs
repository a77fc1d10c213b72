using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Administration;

/// <summary><c>PUT /api/admin/agencies/{agencyId}</c> and <c>GET /api/admin/agencies</c> over HTTP.</summary>
public sealed class AgencyAdministrationTests
{
    private const string NewAgency = "kita-kodomo-npo";

    [Fact]
    public async Task AdminRegistersAnAgencyWith201ThenChangesItWith200()
    {
        await using var api = await AdminApi.StartAsync();
        var path = "api/admin/agencies/" + NewAgency;

        using var created = await api.SendAsync(HttpMethod.Put, path, Admin, Agency(isCouncilMember: false, acknowledged: "2026-11-20"));
        using var changed = await api.SendAsync(HttpMethod.Put, path, Admin, Agency(isCouncilMember: true, acknowledged: "2026-11-25"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await CaseApi.BodyAsync(created);
        Assert.Equal(("kita-kodomo-npo", "北こども支援NPO", "npo", false, "2026-11-20"), ((string)first["agencyId"]!, (string)first["name"]!, (string)first["kind"]!, (bool)first["isCouncilMember"]!, (string)first["confidentialityAcknowledgedOn"]!));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        using var list = await api.GetAsync("api/admin/agencies", Admin);
        var stored = (await CaseApi.BodyAsync(list))["agencies"]!.AsArray().Single(agency => (string)agency!["agencyId"]! == NewAgency)!;
        Assert.Equal((true, "2026-11-25"), ((bool)stored["isCouncilMember"]!, (string)stored["confidentialityAcknowledgedOn"]!));
        Assert.Equal(
            [(AuditActions.AdminAgencySave, "Succeeded"), (AuditActions.AdminAgencySave, "Succeeded"), (AuditActions.AdminAgencyRead, "Succeeded")],
            (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task AcknowledgementDatedTodayInJapanIsAcceptedThoughUtcIsStillYesterday()
    {
        await using var api = await AdminApi.StartAsync();

        using var response = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + NewAgency, Admin, Agency(isCouncilMember: true, acknowledged: "2026-12-01"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AgencyWithoutNameOrKindOrWithAFutureAcknowledgementIsRefusedWithEveryFieldPath()
    {
        await using var api = await AdminApi.StartAsync();
        var body = new JsonObject { ["isCouncilMember"] = true, ["confidentialityAcknowledgedOn"] = "2026-12-02" };

        using var response = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + NewAgency, Admin, body);

        await CaseApi.ValidationErrorsAsync(response, ("$.name", "required"), ("$.kind", "required"), ("$.confidentialityAcknowledgedOn", "future-date"));
        await AssertNotStoredAsync(api, NewAgency);
        Assert.Equal([(AuditActions.AdminAgencySave, "Invalid")], (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task EmptyAgencyBodyNamesEveryRequiredFieldInsteadOfFailingAsInvalidJson()
    {
        await using var api = await AdminApi.StartAsync();

        using var response = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + NewAgency, Admin, new JsonObject());

        await CaseApi.ValidationErrorsAsync(response, ("$.name", "required"), ("$.kind", "required"), ("$.isCouncilMember", "required"));
        await AssertNotStoredAsync(api, NewAgency);
    }

    [Theory]
    [InlineData("Kita-NPO")]
    [InlineData("k")]
    [InlineData("kita_npo")]
    public async Task AgencyIdOfTheWrongShapeIsRefused(string agencyId)
    {
        await using var api = await AdminApi.StartAsync();

        using var response = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + agencyId, Admin, Agency(isCouncilMember: true, acknowledged: null));

        await CaseApi.ValidationErrorsAsync(response, ("$.agencyId", "invalid-id"));
        await AssertNotStoredAsync(api, agencyId);
    }

    [Fact]
    public async Task NameLongerThanTheLimitIsRefused()
    {
        await using var api = await AdminApi.StartAsync();
        var body = Agency(isCouncilMember: true, acknowledged: null);
        body["name"] = new string('北', Serverless.Administration.AdminLimits.AgencyName + 1);

        using var response = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + NewAgency, Admin, body);

        await CaseApi.ValidationErrorsAsync(response, ("$.name", "too-long"));
    }

    [Theory]
    [InlineData(Coordinator)]
    [InlineData(Teacher)]
    [InlineData(Auditor)]
    public async Task OnlyAnAdminSavesAnAgency(string subject)
    {
        await using var api = await AdminApi.StartAsync();
        var path = "api/admin/agencies/" + NewAgency;

        using var response = await api.SendAsync(HttpMethod.Put, path, subject, Agency(isCouncilMember: true, acknowledged: null));

        await AssertProblemAsync(response, ProblemCatalogue.Forbidden, path);
        await AssertNotStoredAsync(api, NewAgency);
        Assert.Equal([(AuditActions.AdminAgencySave, "Refused")], (await api.AuditOutcomesAsync(PersonId(subject))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Theory]
    [InlineData("child-guidance-centre")]
    [InlineData("municipal-division")]
    public async Task AnAgencyOfAKindThatMayLeadCasesIsSavedByACoordinatorNotByAnAdmin(string kind)
    {
        await using var api = await AdminApi.StartAsync();
        var path = "api/admin/agencies/" + NewAgency;
        var body = Agency(isCouncilMember: true, acknowledged: null);
        body["kind"] = kind;

        using var byAdmin = await api.SendAsync(HttpMethod.Put, path, Admin, body);
        await AssertProblemAsync(byAdmin, ProblemCatalogue.CoordinatorAct, path);
        await AssertNotStoredAsync(api, NewAgency);
        Assert.Equal([(AuditActions.AdminAgencySave, "Refused")], (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));

        using var byCoordinator = await api.SendAsync(HttpMethod.Put, path, Coordinator, body);
        Assert.Equal(HttpStatusCode.Created, byCoordinator.StatusCode);
        Assert.Equal(kind, (string)(await CaseApi.BodyAsync(byCoordinator))["kind"]!);
    }

    [Fact]
    public async Task AnAdminCannotTurnAChildGuidanceCentreIntoAnotherKindNorRenameIt()
    {
        await using var api = await AdminApi.StartAsync();
        const string centre = "chuo-jisou";
        var path = "api/admin/agencies/" + centre;
        var before = await api.Host.Get<Serverless.Agencies.AgencyDirectory>().FindAsync(centre, CancellationToken.None);
        Assert.Equal(Serverless.Agencies.AgencyKind.ChildGuidanceCentre, before!.Kind);

        using var changed = await api.SendAsync(HttpMethod.Put, path, Admin, Agency(isCouncilMember: true, acknowledged: null));

        await AssertProblemAsync(changed, ProblemCatalogue.CoordinatorAct, path);
        Assert.Equal(before, await api.Host.Get<Serverless.Agencies.AgencyDirectory>().FindAsync(centre, CancellationToken.None));
    }

    [Theory]
    [InlineData(Admin)]
    [InlineData(Coordinator)]
    public async Task AdminsAndCoordinatorsListEveryAgency(string subject)
    {
        await using var api = await AdminApi.StartAsync();

        using var response = await api.GetAsync("api/admin/agencies", subject);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            Serverless.DevHost.DemoPeople.Agencies.Select(agency => agency.AgencyId).Order(StringComparer.Ordinal),
            (await CaseApi.BodyAsync(response))["agencies"]!.AsArray().Select(agency => (string)agency!["agencyId"]!));
    }

    private static JsonObject Agency(bool isCouncilMember, string? acknowledged)
    {
        var body = new JsonObject { ["name"] = "北こども支援NPO", ["kind"] = "npo", ["isCouncilMember"] = isCouncilMember };
        if (acknowledged is not null)
        {
            body["confidentialityAcknowledgedOn"] = acknowledged;
        }

        return body;
    }

    private static async Task AssertNotStoredAsync(AdminApi api, string agencyId)
        => Assert.Null(await api.Host.Get<Serverless.Agencies.AgencyDirectory>().FindAsync(agencyId, CancellationToken.None));
}

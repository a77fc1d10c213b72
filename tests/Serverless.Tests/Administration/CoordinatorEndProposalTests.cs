using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.DevHost;
using Serverless.Identity.People;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Administration;

/// <summary>Ending another coordinator's coordinator membership takes two coordinators: one proposes (202, the
/// membership keeps working), a different one confirms within seven days. One coordinator alone could otherwise
/// lock every other coordinator out and be the council's only eyes.</summary>
public sealed class CoordinatorEndProposalTests
{
    private const string ThirdCoordinator = "coordinator-ueda";
    private const string AcceptedList = "api/cases?status=accepted";

    private static string MoriMembership => DemoPeople.Person(OtherCoordinator).Membership.MembershipId;

    private static string EndPath => $"api/admin/people/{PersonId(OtherCoordinator)}/memberships/{MoriMembership}/end";

    private static string ConfirmPath => EndPath + "/confirm";

    private static JsonObject Yesterday(AdminApi api) => new() { ["lastDay"] = Day(api.Today.AddDays(-1)) };

    [Fact]
    public async Task EndingAnotherCoordinatorsMembershipIsAProposalUntilADifferentCoordinatorConfirmsIt()
    {
        await using var api = await AdminApi.StartAsync();
        var third = await ThirdCoordinatorAsync(api);

        using var proposed = await api.PostAsync(EndPath, Coordinator, Yesterday(api));
        using var stillWorks = await api.GetAsync(AcceptedList, OtherCoordinator);
        using var byProposer = await api.PostAsync(ConfirmPath, Coordinator, new JsonObject());
        using var confirmed = await api.PostAsync(ConfirmPath, ThirdCoordinator, new JsonObject());
        using var refused = await api.GetAsync(AcceptedList, OtherCoordinator);

        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var pending = (await CaseApi.BodyAsync(proposed))["pendingEnd"]!;
        Assert.Equal(PersonId(Coordinator), (string)pending["proposedBy"]!);
        Assert.Equal(Day(api.Today.AddDays(-1)), (string)pending["lastDay"]!);
        Assert.Equal(((DateTimeOffset)pending["proposedAt"]!).AddDays(7), (DateTimeOffset)pending["expiresAt"]!);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
        await AssertProblemAsync(byProposer, ProblemCatalogue.Forbidden, ConfirmPath);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var ended = await CaseApi.BodyAsync(confirmed);
        Assert.Equal(Day(api.Today.AddDays(-1)), (string)ended["validTo"]!);
        Assert.Null(ended["pendingEnd"]);
        await AssertProblemAsync(refused, ProblemCatalogue.NoActiveMembership, "api/cases");
        var stored = await api.Host.Get<PeopleDirectory>().FindMembershipAsync(PersonId(OtherCoordinator), MoriMembership, CancellationToken.None);
        Assert.Equal(third, stored!.Value.Membership.EndedBy);
        Assert.Equal(
            [(AuditActions.AdminMembershipEnd, "Succeeded"), (AuditActions.AdminMembershipEndConfirm, "Refused")],
            (await api.AuditOutcomesAsync(PersonId(Coordinator))).Where(entry => entry.Action != AuditActions.AdminMembershipGrant).Select(entry => (entry.Action, entry.Outcome)));
        Assert.Equal([(AuditActions.AdminMembershipEndConfirm, "Succeeded")], (await api.AuditOutcomesAsync(third)).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task ConfirmingWithNothingPendingIsRefusedWith409()
    {
        await using var api = await AdminApi.StartAsync();

        using var response = await api.PostAsync(ConfirmPath, Coordinator, new JsonObject());

        await AssertProblemAsync(response, ProblemCatalogue.NoPendingProposal, ConfirmPath);
        using var stillWorks = await api.GetAsync(AcceptedList, OtherCoordinator);
        Assert.Equal(HttpStatusCode.OK, stillWorks.StatusCode);
    }

    [Fact]
    public async Task AProposalLapsesAfterSevenDays()
    {
        await using var api = await AdminApi.StartAsync();
        await ThirdCoordinatorAsync(api);
        using var proposed = await api.PostAsync(EndPath, Coordinator, new JsonObject { ["lastDay"] = Day(api.Today.AddDays(20)) });
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);

        api.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        using var late = await api.PostAsync(ConfirmPath, ThirdCoordinator, new JsonObject());

        await AssertProblemAsync(late, ProblemCatalogue.NoPendingProposal, ConfirmPath);
        var stored = await api.Host.Get<PeopleDirectory>().FindMembershipAsync(PersonId(OtherCoordinator), MoriMembership, CancellationToken.None);
        Assert.Null(stored!.Value.Membership.ValidTo);
    }

    [Fact]
    public async Task ACoordinatorEndsTheirOwnCoordinatorMembershipAlone()
    {
        await using var api = await AdminApi.StartAsync();
        var own = DemoPeople.Person(Coordinator).Membership.MembershipId;
        var path = $"api/admin/people/{PersonId(Coordinator)}/memberships/{own}/end";

        using var response = await api.PostAsync(path, Coordinator, new JsonObject { ["lastDay"] = Day(api.Today) });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Day(api.Today), (string)(await CaseApi.BodyAsync(response))["validTo"]!);
    }

    [Fact]
    public async Task TwoConfirmationsAtOnceConfirmOnce()
    {
        await using var api = await AdminApi.StartAsync();
        await ThirdCoordinatorAsync(api);
        using var proposed = await api.PostAsync(EndPath, Coordinator, Yesterday(api));
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);

        var both = await Task.WhenAll(
            api.PostAsync(ConfirmPath, ThirdCoordinator, new JsonObject()),
            api.PostAsync(ConfirmPath, OtherCoordinator, new JsonObject()));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(response => response.StatusCode).Order());
        foreach (var response in both)
        {
            response.Dispose();
        }
    }

    /// <summary>A third coordinator of the division, granted by a coordinator: its person id.</summary>
    private static async Task<string> ThirdCoordinatorAsync(AdminApi api)
    {
        var personId = await api.RegisterAsync(ThirdCoordinator, "上田 亮");
        await api.GrantAsync(personId, Grant("midori-kodomo-ka", "coordinator", api.Today), grantor: Coordinator);
        return personId;
    }
}

using System.Net;
using Serverless.Audit;
using Serverless.Cases.Disposal;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Time;

namespace Serverless.Tests.Disposal;

/// <summary>
/// Proposing, approving and withdrawing a disposal (廃棄), and legal holds, through the API: two different
/// coordinators, a closed case old enough, no hold; a case the caller may not see answers like a missing one.
/// </summary>
public sealed class DisposalApiTests
{
    [Fact]
    public async Task OneCoordinatorProposesAndAnotherApproves()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();

        using var proposed = await api.ProposeAsync(caseId);
        var proposal = await CaseApi.BodyAsync(proposed);
        using var approved = await api.ApproveAsync(caseId);
        var approval = await CaseApi.BodyAsync(approved);

        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        Assert.Equal("proposed", (string?)proposal["state"]);
        Assert.Equal(DemoPeople.PersonId(DisposalApi.Proposer), (string?)proposal["proposedBy"]);
        Assert.Equal("みどり市文書管理規程第12条", (string?)proposal["ruleReference"]);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Equal("approved", (string?)approval["state"]);
        Assert.Equal(DemoPeople.PersonId(DisposalApi.Approver), (string?)approval["approvedBy"]);
        Assert.Equal(CaseApi.Now, approval["approvedAt"]!.GetValue<DateTimeOffset>());
        var stored = (await api.Host.Get<Disposals>().FindAsync(caseId, CancellationToken.None))!.Value.Disposal;
        Assert.Equal(DisposalState.Approved, stored.State);
        Assert.Equal("保存期間（5年）満了のため", stored.Reason);
        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, 100, null, CancellationToken.None)).Page.Entries;
        Assert.Contains(audit, entry => entry.Action == AuditActions.DisposalPropose && entry.Outcome == nameof(AuditOutcome.Succeeded));
        Assert.Contains(audit, entry => entry.Action == AuditActions.DisposalApprove && entry.Outcome == nameof(AuditOutcome.Succeeded));
    }

    [Fact]
    public async Task TheProposerCannotApproveTheirOwnProposal()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();
        using var proposed = await api.ProposeAsync(caseId);

        await CaseApi.ProblemAsync(await api.ApproveAsync(caseId, DisposalApi.Proposer), ProblemCatalogue.Forbidden);

        Assert.Equal(DisposalState.Proposed, (await api.Host.Get<Disposals>().FindAsync(caseId, CancellationToken.None))!.Value.Disposal.State);
    }

    [Fact]
    public async Task AnOpenCaseIsNotDisposable()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        var problem = await CaseApi.ProblemAsync(await api.ProposeAsync(caseId), ProblemCatalogue.NotDisposable);

        Assert.Equal("終結していないケースは廃棄できません。", (string?)problem["detail"]);
        Assert.Null(await api.Host.Get<Disposals>().FindAsync(caseId, CancellationToken.None));
    }

    [Fact]
    public async Task ACaseClosedLessThanFiveYearsAgoIsNotDisposable()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync(decidedOn: "2020-06-17"); // five years after is 2025-06-17, the day after today

        var problem = await CaseApi.ProblemAsync(await api.ProposeAsync(caseId), ProblemCatalogue.NotDisposable);

        Assert.StartsWith("ケースの終結を記録した日から保存期間（5年）が経過していません", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABackdatedClosureIsNotDisposableUntilFiveYearsAfterTheAppRecordedIt()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync(decidedOn: "2015-04-01", agedAsDecided: false); // closed today, the meeting dated ten years ago

        var refused = await CaseApi.ProblemAsync(await api.ProposeAsync(caseId), ProblemCatalogue.NotDisposable);
        api.Host.Clock!.SetUtcNow(JapanTime.StartOfDay(CaseApi.Today.AddYears(5)).AddTicks(-1));
        await CaseApi.ProblemAsync(await api.ProposeAsync(caseId), ProblemCatalogue.NotDisposable);
        api.Host.Clock.SetUtcNow(JapanTime.StartOfDay(CaseApi.Today.AddYears(5)));
        using var proposed = await api.ProposeAsync(caseId);

        Assert.StartsWith("ケースの終結を記録した日から保存期間（5年）", (string?)refused["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        Assert.Equal("2015-04-01", (string?)(await CaseApi.BodyAsync(await api.GetAsync(caseId)))["record"]!["closure"]!["decidedOn"]);
    }

    [Fact]
    public async Task ACaseClosedExactlyFiveYearsAgoMayBeProposed()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync(decidedOn: "2020-06-16"); // today in Japan is 2025-06-16

        using var proposed = await api.ProposeAsync(caseId);

        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
    }

    [Fact]
    public async Task AHeldCaseCanBeNeitherProposedNorApprovedUntilTheHoldIsReleased()
    {
        await using var api = await CaseApi.StartAsync();
        var held = await api.ClosedCaseAsync();
        var proposedThenHeld = await api.ClosedCaseAsync();
        using var placed = await api.HoldAsync(held);
        using var proposed = await api.ProposeAsync(proposedThenHeld);
        using var placedLater = await api.HoldAsync(proposedThenHeld);

        var refusedProposal = await CaseApi.ProblemAsync(await api.ProposeAsync(held), ProblemCatalogue.LegalHold);
        await CaseApi.ProblemAsync(await api.ApproveAsync(proposedThenHeld), ProblemCatalogue.LegalHold);
        await CaseApi.ProblemAsync(await api.HoldAsync(held), ProblemCatalogue.LegalHold);
        await api.ReleasedAsync(proposedThenHeld);
        using var approved = await api.ApproveAsync(proposedThenHeld);

        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.True((bool)(await CaseApi.BodyAsync(placed))["inForce"]!);
        Assert.StartsWith("このケースには訴訟等による保全", (string?)refusedProposal["detail"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.Null(await api.Host.Get<Disposals>().FindAsync(held, CancellationToken.None));
    }

    [Fact]
    public async Task ReleasingACaseWithoutAHoldIsRefused()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();

        var problem = await CaseApi.ProblemAsync(await api.ReleaseAsync(caseId), ProblemCatalogue.LegalHold);

        Assert.Equal("このケースには解除する保全がありません。", (string?)problem["detail"]);
    }

    [Fact]
    public async Task AWithdrawnDisposalCanBeProposedAgainButNotApproved()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();
        await api.ApprovedAsync(caseId);

        using var withdrawn = await api.WithdrawAsync(caseId, DisposalApi.Approver);
        await CaseApi.ProblemAsync(await api.ApproveAsync(caseId), ProblemCatalogue.DisposalState);
        await CaseApi.ProblemAsync(await api.WithdrawAsync(caseId), ProblemCatalogue.DisposalState);
        using var again = await api.ProposeAsync(caseId, DisposalApi.Approver);
        await CaseApi.ProblemAsync(await api.ProposeAsync(caseId), ProblemCatalogue.DisposalState);

        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (string?)(await CaseApi.BodyAsync(withdrawn))["state"]);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(DemoPeople.PersonId(DisposalApi.Approver), (string?)(await CaseApi.BodyAsync(again))["proposedBy"]);
    }

    [Fact]
    public async Task ACaseReopenedAfterTheProposalCannotBeApproved()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();
        using var proposed = await api.ProposeAsync(caseId);
        using var reopened = await api.PatchAsync(caseId, "\"v2\"", "再通告により再開", new System.Text.Json.Nodes.JsonObject { ["status"] = "accepted" });
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);

        await CaseApi.ProblemAsync(await api.ApproveAsync(caseId), ProblemCatalogue.NotDisposable);
    }

    [Fact]
    public async Task AMemberWhoMayNotSeeTheCaseGetsNotFoundAndANamedMemberForbidden()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();

        await CaseApi.ProblemAsync(await api.ProposeAsync(caseId, "nurse-suzuki", reason: null), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await api.ProposeAsync(Serverless.Cases.CaseIds.New(), reason: null), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await api.HoldAsync(caseId, "nurse-suzuki"), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await api.ProposeAsync(caseId, "teacher-tanaka"), ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(await api.HoldAsync(caseId, "teacher-tanaka"), ProblemCatalogue.Forbidden);
    }

    [Fact]
    public async Task AProposalWithoutAReasonOrARuleNamesBothFields()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();

        await CaseApi.ValidationErrorsAsync(await api.ProposeAsync(caseId, reason: " ", rule: null), ("$.reason", "required"), ("$.ruleReference", "required"));
    }
}

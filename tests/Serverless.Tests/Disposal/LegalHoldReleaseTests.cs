using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.Cases.Disposal;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Disposal;

/// <summary>Releasing a legal hold takes two coordinators: one proposes (202, the case stays held), a different one
/// confirms within seven days. One coordinator alone could otherwise release and dispose of a case under a hold.</summary>
public sealed class LegalHoldReleaseTests
{
    [Fact]
    public async Task AReleaseIsAProposalUntilADifferentCoordinatorConfirmsIt()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();
        using var placed = await api.HoldAsync(caseId);

        using var proposed = await api.ReleaseAsync(caseId, DisposalApi.Approver);
        var stillHeld = await CaseApi.ProblemAsync(await api.ProposeAsync(caseId), ProblemCatalogue.LegalHold);
        using var byProposer = await api.ConfirmReleaseAsync(caseId, DisposalApi.Approver);
        using var confirmed = await api.ConfirmReleaseAsync(caseId, DisposalApi.Proposer);
        using var proposedAfter = await api.ProposeAsync(caseId);

        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);
        var hold = await CaseApi.BodyAsync(proposed);
        Assert.True((bool)hold["inForce"]!);
        var proposal = hold["releaseProposal"]!;
        Assert.Equal(Serverless.Tests.Administration.AdminApi.PersonId(DisposalApi.Approver), (string)proposal["proposedBy"]!);
        Assert.Equal("請求への対応が終了", (string)proposal["reason"]!);
        Assert.Equal(((DateTimeOffset)proposal["proposedAt"]!).AddDays(7), (DateTimeOffset)proposal["expiresAt"]!);
        Assert.Equal(DisposalRefusals.Held, (string?)stillHeld["reason"]);
        await CaseApi.ProblemAsync(byProposer, ProblemCatalogue.Forbidden);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var released = await CaseApi.BodyAsync(confirmed);
        Assert.False((bool)released["inForce"]!);
        Assert.Equal("請求への対応が終了", (string)released["releaseReason"]!);
        Assert.Equal(HttpStatusCode.Created, proposedAfter.StatusCode);
        Assert.Null(await api.Host.Get<LegalHolds>().InForceAsync(caseId, CancellationToken.None));
    }

    [Fact]
    public async Task ConfirmingWithNoReleaseProposedIsRefused()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();
        using var placed = await api.HoldAsync(caseId);

        var problem = await CaseApi.ProblemAsync(await api.ConfirmReleaseAsync(caseId, DisposalApi.Proposer), ProblemCatalogue.LegalHold);

        Assert.Equal(DisposalRefusals.ReleaseNotProposed, (string?)problem["reason"]);
        Assert.NotNull(await api.Host.Get<LegalHolds>().InForceAsync(caseId, CancellationToken.None));
    }

    [Fact]
    public async Task AReleaseProposalLapsesAfterSevenDays()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();
        using var placed = await api.HoldAsync(caseId);
        using var proposed = await api.ReleaseAsync(caseId, DisposalApi.Approver);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);

        api.Host.Clock!.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var problem = await CaseApi.ProblemAsync(await api.ConfirmReleaseAsync(caseId, DisposalApi.Proposer), ProblemCatalogue.LegalHold);

        Assert.Equal(DisposalRefusals.ReleaseNotProposed, (string?)problem["reason"]);
        Assert.NotNull(await api.Host.Get<LegalHolds>().InForceAsync(caseId, CancellationToken.None));
    }

    [Fact]
    public async Task TwoConfirmationsAtOnceReleaseOnce()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.ClosedCaseAsync();
        using var placed = await api.HoldAsync(caseId);
        using var proposed = await api.ReleaseAsync(caseId, DisposalApi.Approver);
        Assert.Equal(HttpStatusCode.Accepted, proposed.StatusCode);

        var both = await Task.WhenAll(api.ConfirmReleaseAsync(caseId, DisposalApi.Proposer), api.ConfirmReleaseAsync(caseId, DisposalApi.Proposer));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(response => response.StatusCode).Order());
        foreach (var response in both)
        {
            response.Dispose();
        }

        var audit = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, AuditQuery.MaxPageSize, null, CancellationToken.None)).Page.Entries;
        Assert.Single(audit, entry => entry.Action == AuditActions.LegalHoldReleaseConfirm && entry.Outcome == "Succeeded");
        Assert.Single(audit, entry => entry.Action == AuditActions.LegalHoldReleaseConfirm && entry.Outcome == "Conflict");
    }
}

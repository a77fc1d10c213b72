using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Cases.BreakGlass;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Access;

/// <summary>
/// Break-glass through the API: a designated child-guidance-centre worker (jisou-ito) opens a case her
/// agency is not on, for four hours, with a reason; every other coordinator is told at once, every read
/// through the grant is marked in the audit, and another coordinator reviews it. To anyone not designated
/// the endpoint answers exactly like a missing case.
/// </summary>
public sealed class BreakGlassTests
{
    private const string Opener = "jisou-ito";

    /// <summary>A case of the division and the school only: the child guidance centre is not on it.</summary>
    private static JsonObject DivisionCase()
    {
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        return CaseApi.NameDemoStaff(record);
    }

    /// <param name="reason">Null sends a body without one (which the API reads as malformed JSON: fields are required).</param>
    private static Task<HttpResponseMessage> OpenAsync(CaseApi api, string caseId, string? reason, string person = Opener)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/break-glass", person, CaseApi.Json(reason is null ? new JsonObject() : new JsonObject { ["reason"] = reason }));

    private static Task<HttpResponseMessage> ReviewAsync(CaseApi api, string caseId, string grantId, string person, string finding = "夜間の緊急対応として妥当")
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/break-glass/{grantId}/review", person, CaseApi.Json(new JsonObject { ["finding"] = finding }));

    private static async Task<string> OpenedGrantAsync(CaseApi api, string caseId)
    {
        using var response = await OpenAsync(api, caseId, "夜間に一時保護の要否を判断するため");
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (string)body["grantId"]!;
    }

    [Fact]
    public async Task ADesignatedMemberOpensACaseOutsideHerScopeForFourHours()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(DivisionCase());
        await CaseApi.ProblemAsync(await api.GetAsync(caseId, Opener), ProblemCatalogue.NotFound);

        using var opened = await OpenAsync(api, caseId, "夜間に一時保護の要否を判断するため");
        var grant = await CaseApi.BodyAsync(opened);

        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        Assert.Equal(caseId, (string?)grant["caseId"]);
        Assert.Equal(DemoPeople.PersonId(Opener), (string?)grant["personId"]);
        Assert.Equal("chuo-jisou", (string?)grant["agencyId"]);
        Assert.Equal(CaseApi.Now, grant["openedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(CaseApi.Now + BreakGlassService.Duration, grant["expiresAt"]!.GetValue<DateTimeOffset>());

        using var read = await api.GetAsync(caseId, Opener);
        var view = await CaseApi.BodyAsync(read);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.True((bool)view["breakGlass"]!);
        using var history = await api.HistoryAsync(caseId, person: Opener);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
        Assert.True((bool)(await CaseApi.BodyAsync(history))["breakGlass"]!);

        api.Host.Clock!.Advance(BreakGlassService.Duration - TimeSpan.FromSeconds(1));
        using var justBefore = await api.GetAsync(caseId, Opener);
        Assert.Equal(HttpStatusCode.OK, justBefore.StatusCode);
        api.Host.Clock!.Advance(TimeSpan.FromSeconds(1));
        await CaseApi.ProblemAsync(await api.GetAsync(caseId, Opener), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await api.HistoryAsync(caseId, person: Opener), ProblemCatalogue.NotFound);
    }

    [Fact]
    public async Task EveryOtherCoordinatorIsNotifiedAtOnce()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(DivisionCase());

        var grantId = await OpenedGrantAsync(api, caseId);

        foreach (var coordinator in new[] { "coordinator-sato", "coordinator-mori" })
        {
            using var response = await api.SendAsync(HttpMethod.Get, "api/notifications", coordinator);
            var notification = Assert.Single((await CaseApi.BodyAsync(response))["notifications"]!.AsArray())!;
            Assert.Equal("break-glass-opened", (string?)notification["kind"]);
            Assert.Equal(caseId, (string?)notification["caseId"]);
            Assert.Equal(grantId, (string?)notification["grantId"]);
            Assert.Equal(DemoPeople.PersonId(Opener), (string?)notification["actorId"]);
            Assert.Equal("chuo-jisou", (string?)notification["actorAgencyId"]);
        }

        using var own = await api.SendAsync(HttpMethod.Get, "api/notifications", Opener);
        Assert.Empty((await CaseApi.BodyAsync(own))["notifications"]!.AsArray());
    }

    [Fact]
    public async Task TheAuditMarksTheOpeningAndEveryReadThroughTheGrant()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(DivisionCase());
        await CaseApi.ProblemAsync(await api.GetAsync(caseId, Opener), ProblemCatalogue.NotFound);
        api.Host.Clock!.Advance(TimeSpan.FromSeconds(1)); // entry ids sort by time: one second apart keeps the order
        await OpenedGrantAsync(api, caseId);
        api.Host.Clock!.Advance(TimeSpan.FromSeconds(1));
        (await api.GetAsync(caseId, Opener)).Dispose();
        api.Host.Clock!.Advance(TimeSpan.FromSeconds(1));
        (await api.HistoryAsync(caseId, person: Opener)).Dispose();
        (await api.GetAsync(caseId)).Dispose(); // the coordinator's own read is ordinary access

        var page = Assert.IsType<AuditQueryOutcome.Done>(await api.Host.Get<AuditQuery>().ByCaseAsync(caseId, 100, null, CancellationToken.None)).Page;
        var opener = DemoPeople.PersonId(Opener);

        Assert.Equal(
            [
                (AuditActions.CaseRead, nameof(AuditOutcome.Refused), false),
                (AuditActions.BreakGlassOpen, nameof(AuditOutcome.Succeeded), true),
                (AuditActions.CaseRead, nameof(AuditOutcome.Succeeded), true),
                (AuditActions.CaseHistory, nameof(AuditOutcome.Succeeded), true),
            ],
            page.Entries.Where(entry => entry.ActorId == opener).Select(entry => (entry.Action, entry.Outcome, entry.BreakGlass)));
        Assert.All(page.Entries.Where(entry => entry.ActorId != opener), entry => Assert.False(entry.BreakGlass));
    }

    [Fact]
    public async Task AMemberWhoIsNotDesignatedGets404AsForAMissingCase()
    {
        await using var api = await CaseApi.StartAsync();
        var record = DivisionCase();
        var caseId = await api.CreateIdAsync(record);

        // nursery-yamada: not designated, not on the case; teacher-kimura: not designated, agency on the case.
        foreach (var person in new[] { "nursery-yamada", "teacher-kimura" })
        {
            await CaseApi.ProblemAsync(await OpenAsync(api, caseId, "理由", person), ProblemCatalogue.NotFound);
            await CaseApi.ProblemAsync(await OpenAsync(api, caseId, reason: null, person), ProblemCatalogue.NotFound);
        }

        await CaseApi.ProblemAsync(await OpenAsync(api, CaseIds.New(), "理由"), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await OpenAsync(api, CaseIds.New(), reason: null), ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await OpenAsync(api, "not-a-case", "理由"), ProblemCatalogue.NotFound);
        using var admin = await api.SendAsync(HttpMethod.Get, "api/break-glass", "admin-kobayashi");
        Assert.Equal(HttpStatusCode.Forbidden, admin.StatusCode);
        using var list = await api.SendAsync(HttpMethod.Get, "api/break-glass", "coordinator-sato");
        Assert.Empty((await CaseApi.BodyAsync(list))["grants"]!.AsArray());
    }

    [Fact]
    public async Task AReasonIsRequiredAndLimitedForAnEligibleCallerOnAnExistingCase()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(DivisionCase());

        await CaseApi.ValidationErrorsAsync(await OpenAsync(api, caseId, ""), ("$.reason", "required"));
        await CaseApi.ValidationErrorsAsync(await OpenAsync(api, caseId, "   "), ("$.reason", "required"));
        await CaseApi.ValidationErrorsAsync(await OpenAsync(api, caseId, new string('あ', BreakGlassService.MaxReasonLength + 1)), ("$.reason", "too-long"));
        await CaseApi.ValidationErrorsAsync(await OpenAsync(api, caseId, reason: null), ("$.reason", "required")); // a missing field is named, like an empty one
        await CaseApi.ProblemAsync(await api.GetAsync(caseId, Opener), ProblemCatalogue.NotFound); // nothing was opened
    }

    [Fact]
    public async Task ACallerWhoAlreadySeesTheCaseCannotBreakGlass()
    {
        await using var api = await CaseApi.StartAsync();
        var record = DivisionCase();
        record["participants"] = new JsonArray(new JsonObject { ["agencyId"] = "chuo-jisou", ["from"] = "2025-06-01" });
        record["staff"]!.AsArray().Add(new JsonObject { ["personId"] = DemoPeople.PersonId(Opener), ["agencyId"] = "chuo-jisou" });
        var caseId = await api.CreateIdAsync(record);

        await CaseApi.ValidationErrorsAsync(await OpenAsync(api, caseId, "理由"), ("$", "already-visible"));
        await CaseApi.ValidationErrorsAsync(await OpenAsync(api, caseId, "理由", "coordinator-sato"), ("$", "already-visible"));
    }

    [Fact]
    public async Task AGrantIsNotStretchedByOpeningAgainBeforeItEnds()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(DivisionCase());
        await OpenedGrantAsync(api, caseId);

        api.Host.Clock!.Advance(TimeSpan.FromHours(3));
        await CaseApi.ValidationErrorsAsync(await OpenAsync(api, caseId, "延長したい"), ("$", "already-visible"));
        api.Host.Clock!.Advance(TimeSpan.FromHours(1));
        await CaseApi.ProblemAsync(await api.GetAsync(caseId, Opener), ProblemCatalogue.NotFound); // it ended on time
        await OpenedGrantAsync(api, caseId); // a new emergency: a new opening, announced and reviewed again

        using var awaiting = await api.SendAsync(HttpMethod.Get, "api/break-glass", "coordinator-sato");
        Assert.Equal(2, (await CaseApi.BodyAsync(awaiting))["grants"]!.AsArray().Count);
    }

    [Fact]
    public async Task ABarEndsARunningGrantAndForbidsOpeningAgain()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(DivisionCase());
        await OpenedGrantAsync(api, caseId);

        using var barred = await api.PatchAsync(caseId, "\"v1\"", "関与禁止", new JsonObject { ["barredPersonIds"] = new JsonArray(DemoPeople.PersonId(Opener)) });
        Assert.Equal(HttpStatusCode.OK, barred.StatusCode);

        using var read = await api.GetAsync(caseId, Opener);
        await CaseApi.ProblemAsync(read, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(await OpenAsync(api, caseId, "理由"), ProblemCatalogue.NotFound);
        var (_, outcome) = await Audit.Integration.AuditedRequests.PairAsync(api.Host, read);
        Assert.Equal((nameof(AuditOutcome.Refused), false), (outcome.Outcome, outcome.BreakGlass));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public async Task ANotificationPageIsOneToAHundred(string pageSize)
    {
        await using var api = await CaseApi.StartAsync();

        await CaseApi.ValidationErrorsAsync(await api.SendAsync(HttpMethod.Get, "api/notifications?pageSize=" + pageSize, "coordinator-sato"), ("$.pageSize", "out-of-range"));
    }

    [Fact]
    public async Task NotificationsComePageByPageNewestFirst()
    {
        await using var api = await CaseApi.StartAsync();
        var first = await api.CreateIdAsync(DivisionCase());
        var second = await api.CreateIdAsync(DivisionCase());
        await OpenedGrantAsync(api, first);
        api.Host.Clock!.Advance(TimeSpan.FromSeconds(1)); // newest first is by time: give the two openings different times
        await OpenedGrantAsync(api, second);

        using var page1 = await api.SendAsync(HttpMethod.Get, "api/notifications?pageSize=1", "coordinator-sato");
        var body1 = await CaseApi.BodyAsync(page1);
        using var page2 = await api.SendAsync(HttpMethod.Get, "api/notifications?pageSize=1&continuationToken=" + Uri.EscapeDataString((string)body1["continuationToken"]!), "coordinator-sato");
        var body2 = await CaseApi.BodyAsync(page2);

        Assert.Equal(second, (string)Assert.Single(body1["notifications"]!.AsArray())!["caseId"]!);
        Assert.Equal(first, (string)Assert.Single(body2["notifications"]!.AsArray())!["caseId"]!);
        // Another person's token does not read this inbox.
        using var foreign = await api.SendAsync(HttpMethod.Get, "api/notifications?continuationToken=" + Uri.EscapeDataString((string)body1["continuationToken"]!), "coordinator-mori");
        await CaseApi.ValidationErrorsAsync(foreign, ("$.continuationToken", "invalid-id"));
    }

    [Fact]
    public async Task AnotherCoordinatorReviewsAnOpeningOnceAndTheOpenerNever()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(DivisionCase());
        var grantId = await OpenedGrantAsync(api, caseId);

        using var awaiting = await api.SendAsync(HttpMethod.Get, "api/break-glass", "coordinator-mori");
        Assert.Equal(HttpStatusCode.OK, awaiting.StatusCode);
        Assert.Equal([grantId], (await CaseApi.BodyAsync(awaiting))["grants"]!.AsArray().Select(grant => (string)grant!["grantId"]!));
        await CaseApi.ProblemAsync(await api.SendAsync(HttpMethod.Get, "api/break-glass", Opener), ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(await api.SendAsync(HttpMethod.Get, "api/break-glass", "teacher-tanaka"), ProblemCatalogue.Forbidden);

        await CaseApi.ProblemAsync(await ReviewAsync(api, caseId, grantId, Opener), ProblemCatalogue.Forbidden);
        await CaseApi.ValidationErrorsAsync(await ReviewAsync(api, caseId, grantId, "coordinator-mori", new string('あ', BreakGlassService.MaxFindingLength + 1)), ("$.finding", "too-long"));
        using var reviewed = await ReviewAsync(api, caseId, grantId, "coordinator-mori");
        var body = await CaseApi.BodyAsync(reviewed);
        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        Assert.Equal(DemoPeople.PersonId("coordinator-mori"), (string?)body["reviewedBy"]);
        Assert.Equal("夜間の緊急対応として妥当", (string?)body["finding"]);

        await CaseApi.ValidationErrorsAsync(await ReviewAsync(api, caseId, grantId, "coordinator-sato", "二度目"), ("$", "server-managed"));
        await CaseApi.ProblemAsync(await ReviewAsync(api, caseId, "0000000000000000000-deadbeef", "coordinator-sato"), ProblemCatalogue.NotFound);
        using var after = await api.SendAsync(HttpMethod.Get, "api/break-glass", "coordinator-sato");
        Assert.Empty((await CaseApi.BodyAsync(after))["grants"]!.AsArray());
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Audit.Integration.AuditedRequests;

namespace Serverless.Tests.Audit.Integration;

/// <summary>
/// Every case request leaves an intent entry and an outcome entry: who (person id), agency, role, action,
/// case, outcome, the request id the caller was answered with, and the client address from
/// <c>X-Forwarded-For</c> (one trusted hop). Refusals are audited as refusals, though the caller cannot
/// tell them from a missing case.
/// </summary>
public sealed class RequestAuditTests
{
    private const string Forwarded = "203.0.113.9, 198.51.100.7";
    private const string Client = "198.51.100.7"; // the address the one trusted proxy saw

    /// <summary>Every header but the ones that differ on every answer.</summary>
    private static IEnumerable<(string, string)> Headers(HttpResponseMessage response)
        => response.Headers.Concat(response.Content.Headers)
            .Where(header => !header.Key.Equals("X-Request-Id", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("Date", StringComparison.OrdinalIgnoreCase))
            .Select(header => (header.Key, string.Join(',', header.Value)));

    private static void Forward(HttpRequestMessage request) => request.Headers.TryAddWithoutValidation("X-Forwarded-For", Forwarded);

    private static void AssertWho(AuditEntryEntity entry, string subject, string agencyId, string role, string action, string? caseId, string requestId)
    {
        Assert.Equal(nameof(AuditActorKind.Person), entry.ActorKind);
        Assert.Equal(DemoPeople.PersonId(subject), entry.ActorId);
        Assert.Equal(agencyId, entry.AgencyId);
        Assert.Equal(role, entry.Role);
        Assert.Equal(action, entry.Action);
        Assert.Equal(caseId, entry.CaseId);
        Assert.Equal(requestId, entry.RequestId);
        Assert.Equal(Client, entry.ClientAddress);
        Assert.Null(entry.RejectedFields);
        Assert.False(entry.BreakGlass);
    }

    private static async Task AssertAuditedAsync(CaseApi api, HttpResponseMessage response, string action, string? caseId, AuditOutcome outcome, string subject = CaseApi.Coordinator, string agencyId = "midori-kodomo-ka", string role = "Coordinator")
    {
        var (intent, done) = await PairAsync(api.Host, response);
        AssertWho(intent, subject, agencyId, role, action, caseId, RequestId(response));
        AssertWho(done, subject, agencyId, role, action, caseId, RequestId(response));
        Assert.Null(intent.Outcome);
        Assert.Equal(outcome.ToString(), done.Outcome);
        Assert.Equal(CaseApi.Now, intent.At);
    }

    [Fact]
    public async Task EveryCaseEndpointWritesAnIntentAndAnOutcomeNamingWhoWhatAndWhence()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";

        using var created = await api.SendAsync(HttpMethod.Post, "api/cases", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["record"] = CaseApi.NameDemoStaff(record) }), Forward);
        var caseId = (string)(await CaseApi.BodyAsync(created))["caseId"]!;
        using var read = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", CaseApi.Coordinator, arrange: Forward);
        using var changed = await api.SendAsync(HttpMethod.Patch, $"api/cases/{caseId}", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["reason"] = "会議", ["changes"] = new JsonObject { ["notes"] = "メモ" } }), request =>
        {
            Forward(request);
            request.Headers.TryAddWithoutValidation("If-Match", "\"v1\"");
        });
        using var history = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/history", CaseApi.Coordinator, arrange: Forward);
        using var listed = await api.SendAsync(HttpMethod.Get, "api/cases?status=accepted", CaseApi.Coordinator, arrange: Forward);
        using var searched = await api.SendAsync(HttpMethod.Post, "api/cases/search", CaseApi.Coordinator, CaseApi.Json(new JsonObject { ["birthDate"] = "2016-04-01" }), Forward);
        using var memberRead = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", "teacher-tanaka", arrange: Forward);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (var response in new[] { read, changed, history, listed, searched, memberRead })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await AssertAuditedAsync(api, created, AuditActions.CaseCreate, null, AuditOutcome.Succeeded);
        await AssertAuditedAsync(api, read, AuditActions.CaseRead, caseId, AuditOutcome.Succeeded);
        await AssertAuditedAsync(api, changed, AuditActions.CaseUpdate, caseId, AuditOutcome.Succeeded);
        await AssertAuditedAsync(api, history, AuditActions.CaseHistory, caseId, AuditOutcome.Succeeded);
        await AssertAuditedAsync(api, listed, AuditActions.CaseList, null, AuditOutcome.Succeeded);
        await AssertAuditedAsync(api, searched, AuditActions.CaseSearch, null, AuditOutcome.Succeeded);
        await AssertAuditedAsync(api, memberRead, AuditActions.CaseRead, caseId, AuditOutcome.Succeeded, "teacher-tanaka", "minami-shogakko", "Member");

        // The new case is named by the creation's outcome, and every answer that carried it is found by case.
        Assert.Equal(caseId, (await PairAsync(api.Host, created)).Outcome.CasesTouched);
        Assert.Equal(
            new[] { created, read, changed, history, listed, searched, memberRead }.Select(RequestId).Order(StringComparer.Ordinal),
            (await ByCaseAsync(api.Host, caseId)).Select(entry => entry.RequestId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task AListPageNamesEveryCaseOnItSoTheAuditByCaseFindsTheListRead()
    {
        await using var api = await CaseApi.StartAsync();
        var caseIds = new List<string>();
        for (var n = 0; n < 3; n++)
        {
            caseIds.Add(await api.CreateIdAsync(CaseApi.ValidRecord()));
        }

        using var listed = await api.ListAsync("?status=accepted");
        Assert.Equal(3, (await CaseApi.BodyAsync(listed))["cases"]!.AsArray().Count);

        var (_, outcome) = await PairAsync(api.Host, listed);
        Assert.Equal(caseIds.Order(StringComparer.Ordinal), outcome.CasesTouched!.Split(',').Order(StringComparer.Ordinal));
        foreach (var caseId in caseIds)
        {
            using var audit = await api.SendAsync(HttpMethod.Get, $"api/audit?caseId={caseId}", CaseApi.Coordinator);
            var entries = (await CaseApi.BodyAsync(audit))["entries"]!.AsArray();
            var listRead = Assert.Single(entries, entry => (string?)entry!["action"] == AuditActions.CaseList)!;
            Assert.Equal(RequestId(listed), (string?)listRead["requestId"]);
            Assert.Equal(DemoPeople.PersonId(CaseApi.Coordinator), (string?)listRead["actorId"]);
            Assert.Equal(nameof(AuditOutcome.Succeeded), (string?)listRead["outcome"]);
        }
    }

    [Fact]
    public async Task AHiddenCaseIsAuditedAsRefusedAndAMissingOneAsMissingThoughBothAnswerTheSame404()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        var hiddenId = await api.CreateIdAsync(CaseApi.NameDemoStaff(record)); // teacher-kimura is left unnamed
        var missingId = CaseIds.New();

        using var hidden = await api.SendAsync(HttpMethod.Get, $"api/cases/{hiddenId}", "teacher-kimura", arrange: Forward);
        using var missing = await api.SendAsync(HttpMethod.Get, $"api/cases/{missingId}", "teacher-kimura", arrange: Forward);

        var hiddenBody = await CaseApi.ProblemAsync(hidden, ProblemCatalogue.NotFound);
        var missingBody = await CaseApi.ProblemAsync(missing, ProblemCatalogue.NotFound);
        Assert.Equal(RequestId(hidden), (string?)hiddenBody["requestId"]);
        Assert.Equal($"/api/cases/{hiddenId}", (string?)hiddenBody["instance"]);
        foreach (var body in new[] { hiddenBody, missingBody })
        {
            body.Remove("requestId");
            body.Remove("instance");
        }

        Assert.Equal(missingBody.ToJsonString(), hiddenBody.ToJsonString());
        Assert.Equal(Headers(missing), Headers(hidden));
        await AssertAuditedAsync(api, hidden, AuditActions.CaseRead, hiddenId, AuditOutcome.Refused, "teacher-kimura", "minami-shogakko", "Member");
        await AssertAuditedAsync(api, missing, AuditActions.CaseRead, missingId, AuditOutcome.Missing, "teacher-kimura", "minami-shogakko", "Member");
        Assert.Contains(await ByCaseAsync(api.Host, hiddenId), entry => entry.RequestId == RequestId(hidden) && entry.Outcome == nameof(AuditOutcome.Refused));
    }

    [Fact]
    public async Task RefusedChangesAndHistoryReadsAreAuditedAsRefused()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.NameDemoStaff(CaseApi.ValidRecord()));

        using var patch = await api.SendAsync(HttpMethod.Patch, $"api/cases/{caseId}", "nursery-yamada", CaseApi.Json(new JsonObject { ["reason"] = "r", ["changes"] = new JsonObject() }), request =>
        {
            Forward(request);
            request.Headers.TryAddWithoutValidation("If-Match", "\"v1\"");
        });
        using var history = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/history", "admin-kobayashi", arrange: Forward);
        using var search = await api.SendAsync(HttpMethod.Post, "api/cases/search", "teacher-tanaka", CaseApi.Json(new JsonObject { ["birthDate"] = "2016-04-01" }), Forward);

        await CaseApi.ProblemAsync(patch, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(history, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(search, ProblemCatalogue.Forbidden);
        await AssertAuditedAsync(api, patch, AuditActions.CaseUpdate, caseId, AuditOutcome.Refused, "nursery-yamada", "hikari-hoikuen", "Member");
        await AssertAuditedAsync(api, history, AuditActions.CaseHistory, caseId, AuditOutcome.Refused, "admin-kobayashi", "midori-kodomo-ka", "Admin");
        await AssertAuditedAsync(api, search, AuditActions.CaseSearch, null, AuditOutcome.Refused, "teacher-tanaka", "minami-shogakko", "Member");
    }

    [Fact]
    public async Task AnAnonymousRequestIsRecordedAsAnUnauthenticatedEvent()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", person: null, arrange: Forward);

        await CaseApi.ProblemAsync(response, ProblemCatalogue.Unauthenticated);
        var entry = Assert.Single(await EntriesAsync(api.Host, response));
        Assert.Equal(AuditEntryKinds.Event, entry.Kind);
        Assert.Equal(nameof(AuditActorKind.Anonymous), entry.ActorKind);
        Assert.Null(entry.ActorId);
        Assert.Equal(AuditActions.CaseRead, entry.Action);
        Assert.Null(entry.CaseId);
        Assert.Equal(caseId, entry.RequestedCaseId); // kept in the log, untrusted: never indexed under the case
        Assert.Equal(nameof(AuditOutcome.Unauthenticated), entry.Outcome);
        Assert.Equal(Client, entry.ClientAddress);
        Assert.DoesNotContain(await ByCaseAsync(api.Host, caseId), record => record.RequestId == RequestId(response));
    }

    [Fact]
    public async Task AnAnonymousFloodAgainstACaseLeavesItsAuditIndexAloneButAnAuthenticatedRefusalIsIndexed()
    {
        // Anyone can name any case id in a URL; if refusals before sign-in were indexed under it, a flood would bury the
        // case's own audit (who read this child's case) under noise, and cost a row per request.
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.NameDemoStaff(CaseApi.ValidRecord()));
        var before = (await ByCaseAsync(api.Host, caseId)).Count;
        var refusedBeforeSignIn = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            using var anonymous = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", person: null, arrange: Forward);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            refusedBeforeSignIn.Add(RequestId(anonymous));
        }

        using var badToken = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/history", person: null, arrange: request =>
        {
            Forward(request);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer not-a-token");
        });
        using var wrongKey = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", person: null, arrange: request =>
        {
            Forward(request);
            request.Headers.TryAddWithoutValidation("Authorization", "SubmissionKey sk_abcdefghij_" + new string('A', 43));
        });
        refusedBeforeSignIn.Add(RequestId(badToken));
        refusedBeforeSignIn.Add(RequestId(wrongKey));
        using var outsider = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", "teacher-kimura", arrange: Forward);

        Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        await CaseApi.ProblemAsync(outsider, ProblemCatalogue.NotFound);
        foreach (var requestId in refusedBeforeSignIn)
        {
            var entry = Assert.Single(await EntriesAsync(api.Host, requestId)); // still audited, in the log
            Assert.Equal((null, caseId), (entry.CaseId, entry.RequestedCaseId));
        }

        var indexed = await ByCaseAsync(api.Host, caseId);
        Assert.DoesNotContain(indexed, record => refusedBeforeSignIn.Contains(record.RequestId));
        Assert.Equal(before + 1, indexed.Count);
        Assert.Contains(indexed, record => record.RequestId == RequestId(outsider) && record.Outcome == nameof(AuditOutcome.Refused));
    }
}

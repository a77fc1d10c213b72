using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Time.Testing;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Cases.Storage;
using Serverless.DevHost;
using Serverless.Identity;
using Serverless.Tests.Infrastructure;
using Serverless.Time;

namespace Serverless.Tests.Cases.Listing;

/// <summary><c>GET /api/cases</c> over HTTP: one partition of the list index per page, the case itself decides.</summary>
public sealed class CaseListTests
{
    [Fact]
    public async Task ListingByStatusReturnsOnlyThatStatusInReviewDateOrderWithUndatedCasesLast()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var in30 = await ListFixture.CreateAsync(host, 1, review: today.AddDays(30));
        var in10 = await ListFixture.CreateAsync(host, 2, review: today.AddDays(10));
        var undated = await ListFixture.CreateAsync(host, 3, review: null);
        var in20 = await ListFixture.CreateAsync(host, 4, review: today.AddDays(20));
        var registered = await ListFixture.CreateAsync(host, 5, CaseStatus.Registered, review: today.AddDays(5));

        var accepted = await ListFixture.ListAsync(host, "status=accepted");

        Assert.Equal([in10, in20, in30, undated], ListFixture.Ids(accepted));
        Assert.All(ListFixture.Records(accepted), record => Assert.Equal("accepted", record.GetProperty("status").GetString()));
        Assert.Null(ListFixture.Token(accepted));
        Assert.Equal([registered], ListFixture.Ids(await ListFixture.ListAsync(host, "status=registered")));
        Assert.Empty(ListFixture.Ids(await ListFixture.ListAsync(host, "status=closed")));
    }

    [Fact]
    public async Task ListingByAgencyReturnsEveryCaseTheAgencyLeadsIsKeyOnOrTakesPartIn()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var asKey = await ListFixture.CreateAsync(host, 1, review: today.AddDays(10), key: "minami-shogakko");
        var asParticipant = await ListFixture.CreateAsync(host, 2, review: today.AddDays(5), lead: "chuo-jisou", participants: [ListFixture.From(today.AddDays(-30), "minami-shogakko")]);
        await ListFixture.CreateAsync(host, 3, review: today.AddDays(1), key: "hikari-hoikuen");
        var registered = await ListFixture.CreateAsync(host, 4, CaseStatus.Registered, review: today.AddDays(20), key: "minami-shogakko");

        Assert.Equal([asParticipant, asKey, registered], ListFixture.Ids(await ListFixture.ListAsync(host, "agency=minami-shogakko")));
        Assert.Equal([registered], ListFixture.Ids(await ListFixture.ListAsync(host, "agency=minami-shogakko&status=registered")));
        Assert.Equal([asParticipant], ListFixture.Ids(await ListFixture.ListAsync(host, "agency=chuo-jisou")));
    }

    [Fact]
    public async Task TheCategoryFilterReturnsOnlyCasesOfThatCategory()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var support = await ListFixture.CreateAsync(host, 1, category: CaseCategory.RequiringSupport, review: today.AddDays(3));
        var protection = await ListFixture.CreateAsync(host, 2, category: CaseCategory.RequiringProtection, review: today.AddDays(2));
        var laterSupport = await ListFixture.CreateAsync(host, 3, category: CaseCategory.RequiringSupport, review: today.AddDays(4));

        Assert.Equal([support, laterSupport], ListFixture.Ids(await ListFixture.ListAsync(host, "status=accepted&category=requiring-support")));
        Assert.Equal([protection], ListFixture.Ids(await ListFixture.ListAsync(host, "status=accepted&category=requiring-protection")));
        Assert.Equal([protection], ListFixture.Ids(await ListFixture.ListAsync(host, "agency=midori-kodomo-ka&category=requiring-protection")));
    }

    [Fact]
    public async Task ReviewDueBeforeListsOnlyCasesDueStrictlyBeforeThatDay()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var in10 = await ListFixture.CreateAsync(host, 1, review: today.AddDays(10));
        await ListFixture.CreateAsync(host, 2, review: today.AddDays(20));
        await ListFixture.CreateAsync(host, 3, review: today.AddDays(21));
        await ListFixture.CreateAsync(host, 4, review: null);
        var day = today.AddDays(20).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal([in10], ListFixture.Ids(await ListFixture.ListAsync(host, $"status=accepted&reviewDueBefore={day}")));
        Assert.Equal([in10], ListFixture.Ids(await ListFixture.ListAsync(host, $"agency=midori-kodomo-ka&reviewDueBefore={day}")));
    }

    [Fact]
    public async Task PagingWithContinuationTokensReturnsEveryCaseExactlyOnceInOrder()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var expected = new List<string>();
        foreach (var day in new[] { 7, 3, 5, 1, 6, 2, 4 })
        {
            expected.Add(await ListFixture.CreateAsync(host, day, review: today.AddDays(day)));
        }

        expected = [.. expected.Zip(new[] { 7, 3, 5, 1, 6, 2, 4 }).OrderBy(pair => pair.Second).Select(pair => pair.First)];

        var pages = new List<List<string>>();
        string? token = null;
        do
        {
            var page = await ListFixture.ListAsync(host, "status=accepted&pageSize=3" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            pages.Add(ListFixture.Ids(page));
            token = ListFixture.Token(page);
        }
        while (token is not null && pages.Count < 10);

        Assert.Equal([3, 3, 1], pages.Select(page => page.Count));
        Assert.Equal(expected, pages.SelectMany(page => page));
    }

    [Fact]
    public async Task AContinuationTokenFromAStatusListIsRefusedForAnAgencyList()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        for (var i = 1; i <= 3; i++)
        {
            await ListFixture.CreateAsync(host, i, review: today.AddDays(i));
        }

        var token = ListFixture.Token(await ListFixture.ListAsync(host, "status=accepted&pageSize=1"));
        Assert.NotNull(token);

        using var response = await ListFixture.SendAsync(host, HttpMethod.Get, "api/cases?agency=midori-kodomo-ka&pageSize=1&continuationToken=" + Uri.EscapeDataString(token));

        await ListFixture.AssertInvalidAsync(response, ("$.continuationToken", "invalid-id"));
    }

    [Fact]
    public async Task ACoordinatorMustNameAStatusOrAnAgency()
    {
        await using var host = await TestHost.StartAsync();
        await ListFixture.ArrangeAsync(host);

        using var response = await ListFixture.SendAsync(host, HttpMethod.Get, "api/cases");

        await ListFixture.AssertInvalidAsync(response, ("$.status", "status-or-agency-required"));
    }

    [Theory]
    [InlineData("0", "out-of-range")]
    [InlineData("101", "out-of-range")]
    [InlineData("abc", "invalid-value")]
    public async Task APageSizeOtherThanOneToAHundredIsRefused(string pageSize, string code)
    {
        await using var host = await TestHost.StartAsync();
        await ListFixture.ArrangeAsync(host);

        using var response = await ListFixture.SendAsync(host, HttpMethod.Get, "api/cases?status=accepted&pageSize=" + pageSize);

        await ListFixture.AssertInvalidAsync(response, ("$.pageSize", code));
    }

    [Fact]
    public async Task AMemberWithoutAnAgencyListsItsOwnAgency()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var school = await ListFixture.CreateAsync(host, 1, review: today.AddDays(2), key: "minami-shogakko");
        await ListFixture.CreateAsync(host, 2, review: today.AddDays(1), key: "hikari-hoikuen");

        Assert.Equal([school], ListFixture.Ids(await ListFixture.ListAsync(host, "", "teacher-tanaka")));
        Assert.Equal([school], ListFixture.Ids(await ListFixture.ListAsync(host, "agency=minami-shogakko", "teacher-tanaka")));
    }

    [Fact]
    public async Task AMemberCannotListAnotherAgency()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        await ListFixture.CreateAsync(host, 1, review: today.AddDays(1), key: "hikari-hoikuen");

        using var response = await ListFixture.SendAsync(host, HttpMethod.Get, "api/cases?agency=hikari-hoikuen", "teacher-tanaka");

        await ListFixture.AssertProblemAsync(response, HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Theory]
    [InlineData("admin-kobayashi")]
    [InlineData("auditor-watanabe")]
    public async Task AdminsAndAuditorsCannotListCases(string person)
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        await ListFixture.CreateAsync(host, 1, review: today.AddDays(1));

        using var response = await ListFixture.SendAsync(host, HttpMethod.Get, "api/cases?status=accepted", person);

        await ListFixture.AssertProblemAsync(response, HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task AfterAStatusChangeTheCaseIsListedUnderItsNewStatusOnlyAndItsOldPointerIsGone()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var review = today.AddDays(9);
        var caseId = await ListFixture.CreateAsync(host, 1, review: review, key: "minami-shogakko");
        var body = new JsonObject { ["reason"] = "registered at the council meeting", ["changes"] = new JsonObject { ["status"] = "registered" } };

        using var response = await ListFixture.SendAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", body: body, ifMatch: "\"v1\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(ListFixture.Ids(await ListFixture.ListAsync(host, "status=accepted")));
        Assert.Equal([caseId], ListFixture.Ids(await ListFixture.ListAsync(host, "status=registered")));
        var row = CaseIndexEntity.Row(review, caseId);
        Assert.Equal(
            [("agency-midori-kodomo-ka", row), ("agency-minami-shogakko", row), ("status-registered", row)],
            await ListFixture.IndexRowsAsync(host));
    }

    [Fact]
    public async Task StalePointersAreSkippedByTheListAndRemovedByIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await TestHost.StartAsync(clock: clock);
        var today = await ListFixture.ArrangeAsync(host);
        var registered = await ListFixture.CreateAsync(host, 1, CaseStatus.Registered, review: today.AddDays(3));
        var accepted = await ListFixture.CreateAsync(host, 2, review: today.AddDays(1));
        var missing = CaseIds.New();
        var wrongStatus = CaseIndexEntity.Row(today.AddDays(1), accepted);
        var noCase = CaseIndexEntity.Row(today.AddDays(2), missing);
        await ListFixture.PlantPointerAsync(host, "status-registered", wrongStatus, accepted);
        await ListFixture.PlantPointerAsync(host, "status-registered", noCase, missing);
        // Older than any change still in flight could be: the list may now remove them.
        clock.Advance(CaseService.PointerGracePeriod + TimeSpan.FromMinutes(10));

        var page = await ListFixture.ListAsync(host, "status=registered");

        Assert.Equal([registered], ListFixture.Ids(page));
        var rows = await ListFixture.IndexRowsAsync(host);
        Assert.DoesNotContain(("status-registered", wrongStatus), rows);
        Assert.DoesNotContain(("status-registered", noCase), rows);
        Assert.Contains(("status-registered", CaseIndexEntity.Row(today.AddDays(3), registered)), rows);
        Assert.Contains(("status-accepted", wrongStatus), rows);
    }

    [Fact]
    public async Task APointerWrittenAheadOfACaseStillBeingSavedIsSkippedButNotRemoved()
    {
        // A list that meets the pointer of a case being registered right now must not remove it:
        // the case would be saved a moment later and never be listed.
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var caseId = CaseIds.New();
        var record = ListFixture.Record(1, CaseStatus.Accepted, CaseCategory.RequiringSupport, today.AddDays(4), "midori-kodomo-ka", null, [], today);
        await host.Get<CaseIndex>().WriteAheadAsync(caseId, null, record, CancellationToken.None);

        Assert.Empty(ListFixture.Ids(await ListFixture.ListAsync(host, "status=accepted")));
        await host.Get<CaseStore>().CreateAsync(caseId, record, new ChangeAuthor("coordinator-sato", "midori-kodomo-ka"), null, CancellationToken.None);

        Assert.Equal([caseId], ListFixture.Ids(await ListFixture.ListAsync(host, "status=accepted")));
        Assert.Equal([caseId], ListFixture.Ids(await ListFixture.ListAsync(host, "agency=midori-kodomo-ka")));
    }

    [Fact]
    public async Task AMemberNeverSeesACaseWhoseParticipationEndedThoughItsPointerStaysInTheAgencyPartition()
    {
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var ended = await ListFixture.CreateAsync(host, 1, review: today.AddDays(1), participants: [ListFixture.From(today.AddDays(-100), "hikari-hoikuen", to: today.AddDays(-1))]);
        var current = await ListFixture.CreateAsync(host, 2, review: today.AddDays(2), participants: [ListFixture.From(today.AddDays(-100), "hikari-hoikuen")]);

        Assert.Equal([current], ListFixture.Ids(await ListFixture.ListAsync(host, "", "nursery-yamada")));
        Assert.Contains(("agency-hikari-hoikuen", CaseIndexEntity.Row(today.AddDays(1), ended)), await ListFixture.IndexRowsAsync(host));
        Assert.Equal([ended, current], ListFixture.Ids(await ListFixture.ListAsync(host, "agency=hikari-hoikuen")));
    }

    [Fact]
    public async Task ACategoryChangeThatLostItsRaceLeavesTheCaseListedUnderItsSavedCategory()
    {
        // The losing writer had already rewritten the case's pointers with its category (same keys);
        // the list filters on that property, so the 412 must put the saved version's pointers back.
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var caseId = await ListFixture.CreateAsync(host, 1, category: CaseCategory.RequiringSupport, review: today.AddDays(2));
        await ListFixture.PlantVersionAheadAsync(host, caseId, record => record with { Notes = "saved by a writer that stopped" });
        var change = new UpdateCaseRequest("it is a protection case", new JsonObject { ["category"] = "requiring-protection" });

        var outcome = await host.Get<CaseService>().UpdateAsync(ListFixture.Coordinator, caseId, new ExpectedVersion(1), change, CancellationToken.None);

        Assert.Equal(new CaseOutcome<CaseView>.PreconditionFailed(2), outcome);
        Assert.Equal([caseId], ListFixture.Ids(await ListFixture.ListAsync(host, "status=accepted&category=requiring-support")));
        Assert.Empty(ListFixture.Ids(await ListFixture.ListAsync(host, "status=accepted&category=requiring-protection")));
    }

    [Fact]
    public async Task AVersionRolledForwardIsListedUnderItsOwnStatusEvenIfItsPointerWasRemovedMeanwhile()
    {
        // A writer saved "registered" as version 2 and stopped; its written-ahead pointer was later
        // removed by a list (the case still said "accepted"). The writer that rolls the version forward
        // must leave the case listed under the status it now has.
        await using var host = await TestHost.StartAsync();
        var today = await ListFixture.ArrangeAsync(host);
        var caseId = await ListFixture.CreateAsync(host, 1, review: today.AddDays(2));
        await ListFixture.PlantVersionAheadAsync(host, caseId, record => record with { Status = CaseStatus.Registered });
        var change = new UpdateCaseRequest("notes", new JsonObject { ["notes"] = "late notes" });

        var outcome = await host.Get<CaseService>().UpdateAsync(ListFixture.Coordinator, caseId, new ExpectedVersion(1), change, CancellationToken.None);

        Assert.Equal(new CaseOutcome<CaseView>.PreconditionFailed(2), outcome);
        Assert.Equal([caseId], ListFixture.Ids(await ListFixture.ListAsync(host, "status=registered")));
        Assert.Empty(ListFixture.Ids(await ListFixture.ListAsync(host, "status=accepted")));
    }
}

file static class ListFixture
{
    public static readonly Caller Coordinator = new("coordinator-sato", "midori-kodomo-ka", CallerRole.Coordinator);

    private static readonly string[] Families = ["青山", "赤井", "石田", "上野", "江口", "大野", "加藤", "木村", "工藤", "小池"];

    private static readonly string[] FamilyKana = ["アオヤマ", "アカイ", "イシダ", "ウエノ", "エグチ", "オオノ", "カトウ", "キムラ", "クドウ", "コイケ"];

    /// <summary>Registers the demo agencies in this host's fresh tables; returns today in Japan.</summary>
    public static async Task<DateOnly> ArrangeAsync(TestHost host)
    {
        await host.SaveDemoAgenciesAsync();

        return JapanTime.Today(host.Get<TimeProvider>());
    }

    public static Participation From(DateOnly from, string agencyId, DateOnly? to = null) => new() { AgencyId = agencyId, From = from, To = to };

    public static CaseRecord Record(int n, CaseStatus status, CaseCategory category, DateOnly? review, string lead, string? key, IReadOnlyList<Participation> participants, DateOnly today) => new()
    {
        Category = category,
        Status = status,
        Child = new Person
        {
            Name = new PersonName { Family = Families[n % Families.Length], Given = "太郎" + n, FamilyKana = FamilyKana[n % FamilyKana.Length], GivenKana = "タロウ" + n },
            BirthDate = today.AddYears(-8).AddDays(-n),
        },
        LeadAgencyId = lead,
        KeyAgencyId = key,
        Participants = participants,
        Staff = NamedDemoStaff([lead, .. key is null ? Array.Empty<string>() : [key], .. participants.Select(participation => participation.AgencyId)]),
        NextReviewDate = review,
    };

    /// <summary>The demo members of the given agencies, named on the case as a coordinator would.</summary>
    public static IReadOnlyList<NamedStaff> NamedDemoStaff(IReadOnlyCollection<string> agencies)
        => [.. DemoPeople.People
            .Where(person => person.Role == Serverless.Identity.CallerRole.Member && person.Subject != "teacher-kimura" && agencies.Contains(person.AgencyId))
            .Select(person => new NamedStaff { PersonId = person.PersonId, AgencyId = person.AgencyId })];

    /// <summary>Registers a case through the service (arrangement); the tests act over HTTP.</summary>
    public static async Task<string> CreateAsync(
        TestHost host,
        int n,
        CaseStatus status = CaseStatus.Accepted,
        CaseCategory category = CaseCategory.RequiringSupport,
        DateOnly? review = null,
        string lead = "midori-kodomo-ka",
        string? key = null,
        IReadOnlyList<Participation>? participants = null)
    {
        var today = JapanTime.Today(host.Get<TimeProvider>());
        var record = Record(n, status, category, review, lead, key, participants ?? [], today);
        var outcome = await host.Get<CaseService>().CreateAsync(Coordinator, new CreateCaseRequest(record), CancellationToken.None);
        return Assert.IsType<CaseOutcome<CaseView>.Done>(outcome).Value.CaseId;
    }

    public static async Task<HttpResponseMessage> SendAsync(TestHost host, HttpMethod method, string path, string person = "coordinator-sato", JsonNode? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        host.SignIn(request, person);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await host.Client.SendAsync(request);
    }

    public static async Task<JsonElement> ListAsync(TestHost host, string query, string person = "coordinator-sato")
    {
        using var response = await SendAsync(host, HttpMethod.Get, "api/cases" + (query.Length == 0 ? "" : "?" + query), person);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        using var body = JsonDocument.Parse(text);
        return body.RootElement.Clone();
    }

    public static List<string> Ids(JsonElement page)
        => [.. page.GetProperty("cases").EnumerateArray().Select(view => view.GetProperty("caseId").GetString()!)];

    public static List<JsonElement> Records(JsonElement page)
        => [.. page.GetProperty("cases").EnumerateArray().Select(view => view.GetProperty("record"))];

    public static string? Token(JsonElement page)
        => page.TryGetProperty("continuationToken", out var token) ? token.GetString() : null;

    public static async Task AssertInvalidAsync(HttpResponseMessage response, (string Field, string Code) expected)
    {
        using var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest, "request.validation-failed");
        Assert.Equal(
            [expected],
            problem.RootElement.GetProperty("errors").EnumerateArray().Select(error => (error.GetProperty("field").GetString()!, error.GetProperty("code").GetString()!)));
    }

    public static async Task<JsonDocument> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text);
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        return problem;
    }

    private static TableClient Table(TestHost host, string name) => host.Storage.Tables.GetTableClient(host.Names.Table(name));

    public static async Task<List<(string Partition, string Row)>> IndexRowsAsync(TestHost host)
    {
        var rows = new List<(string, string)>();
        await foreach (var row in Table(host, CaseIndex.TableName).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
        {
            rows.Add((row.PartitionKey, row.RowKey));
        }

        return rows;
    }

    public static async Task PlantPointerAsync(TestHost host, string partition, string row, string caseId)
        => await Table(host, CaseIndex.TableName).AddEntityAsync(new CaseIndexEntity { PartitionKey = partition, RowKey = row, CaseId = caseId, Category = "requiring-support", Status = "registered" });

    /// <summary>What a writer that stopped after its first step leaves: the next version row only (no pointers, current row untouched).</summary>
    public static async Task PlantVersionAheadAsync(TestHost host, string caseId, Func<CaseRecord, CaseRecord> change)
    {
        var current = (await host.Get<CaseStore>().GetAsync(caseId, CancellationToken.None))!;
        var row = new CaseEntity
        {
            PartitionKey = caseId,
            RowKey = CaseEntity.VersionRow(current.Version + 1),
            Version = current.Version + 1,
            CreatedAt = current.CreatedAt,
            ChangedAt = DateTimeOffset.UtcNow,
            ChangedBy = "coordinator-sato",
            ChangedByAgency = "midori-kodomo-ka",
            Reason = "a change whose writer stopped",
            ChangedFields = "[]",
        };
        row.SetRecordJson(CaseStore.Serialize(change(current.Record)));
        await Table(host, CaseStore.TableName).AddEntityAsync(row);
    }
}

using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.DevHost;
using Serverless.Functions.Http;
using Serverless.Identity;
using Serverless.Storage;
using Serverless.Tests.Infrastructure;
using Serverless.Time;

namespace Serverless.Tests.Cases.Costs;

/// <summary>
/// The exact storage operations each case endpoint costs (transactions are what the bill counts), by
/// function name. A change that adds a read or a write to an endpoint has to change its test too.
/// </summary>
public sealed class CaseStorageOperationTests
{
    [Fact]
    public async Task GettingACaseCostsOnePointRead()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await CostFixture.CreateAsync(host, 1);
        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "GetCase", HttpMethod.Get, $"api/cases/{caseId}", HttpStatusCode.OK);

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the current row: access is decided from the case itself
                [$"table GET {p}OutgoingTransfers(key)"] = 1, // a coordinator's view says whether the case is being handed over (移管)
            }),
            operations);
    }

    [Fact]
    public async Task ChangingOnlyTheNotesCostsTwoReadsAndTwoWritesAndTouchesNoIndex()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await CostFixture.CreateAsync(host, 1);
        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "UpdateCase", HttpMethod.Patch, $"api/cases/{caseId}", HttpStatusCode.OK, CostFixture.Patch(new JsonObject { ["notes"] = "面談を予定" }), "\"v1\"");

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the current row (visibility, If-Match, the record to patch)
                [$"table GET {p}Agencies()"] = 1, // every agency, one partition query, to validate the agencies named
                ["table POST $batch"] = 1, // insert-only version row v2 (a transaction, as it carries a timeline entry when the change is one): of two writers exactly one creates it
                [$"table PUT {p}Cases(key)"] = 1, // replace the current row with the storage ETag read
            }),
            operations);
    }

    [Fact]
    public async Task AChangeFromAStaleVersionCostsOneReadAndWritesNothing()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await CostFixture.CreateAsync(host, 1);
        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "UpdateCase", HttpMethod.Patch, $"api/cases/{caseId}", HttpStatusCode.PreconditionFailed, CostFixture.Patch(new JsonObject { ["notes"] = "面談を予定" }), "\"v7\"");

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the current row: version 1 is not the v7 named, so 412 before any write
            }),
            operations);
    }

    [Fact]
    public async Task ChangingTheStatusRewritesEveryPointerOfTheCaseAndRemovesTheOldStatusPointer()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await CostFixture.CreateAsync(host, 1);
        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "UpdateCase", HttpMethod.Patch, $"api/cases/{caseId}", HttpStatusCode.OK, CostFixture.Patch(new JsonObject { ["status"] = "registered" }), "\"v1\"");

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the current row
                [$"table GET {p}Agencies()"] = 1, // every agency, to validate the record
                // status-registered (new), and the lead, key and participant pointers again: their keys are
                // unchanged, they are rewritten only because they carry the status as a property
                [$"table PUT {p}CaseIndex(key)"] = 4,
                [$"table POST {p}EntryOutbox"] = 1, // the timeline entry announced for its notifications, before it is written
                ["table POST $batch"] = 1, // version row v2 and its timeline entry (the status changed), inserted together
                [$"table PUT {p}Cases(key)"] = 1, // current row
                [$"table DELETE {p}CaseIndex(key)"] = 1, // status-accepted, removed after the change is saved
                [$"queue POST {host.Names.Queue("entry-events")}/messages"] = 1, // ids only: the people on the case are told
            }),
            operations);
    }

    [Fact]
    public async Task RegisteringACaseWithALeadAKeyAndAParticipantCostsThirteenOperations()
    {
        await using var host = await TestHost.StartAsync();
        await host.SaveDemoAgenciesAsync();
        var p = host.Prefix;
        var body = JsonSerializer.SerializeToNode(new CreateCaseRequest(CostFixture.Record(1, JapanTime.Today(TimeProvider.System))), ApiJson.Options);

        var operations = await CostFixture.MeasureAsync(host, "CreateCase", HttpMethod.Post, "api/cases", HttpStatusCode.Created, body);

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Agencies()"] = 1, // every agency, to validate lead, key and participant
                [$"table GET {p}ChildIndex()"] = 2, // duplicate check: the child's name keyed as kana and as kanji
                [$"table PUT {p}CaseIndex(key)"] = 4, // status-accepted, and the lead, key and participant agencies
                [$"table PUT {p}ChildIndex(key)"] = 3, // name as kana, name as kanji, birth date
                [$"table POST {p}EntryOutbox"] = 1, // the "registered" timeline entry announced for its notifications
                ["table POST $batch"] = 1, // current row, version row v1 and the timeline entry, one transaction
                [$"queue POST {host.Names.Queue("entry-events")}/messages"] = 1, // ids only: the named staff are told
            }),
            operations);
    }

    [Fact]
    public async Task AListPageOfThreeCasesCostsOneQueryAndOnePointReadPerCase()
    {
        await using var host = await TestHost.StartAsync();
        for (var n = 1; n <= 3; n++)
        {
            await CostFixture.CreateAsync(host, n);
        }

        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "ListCases", HttpMethod.Get, "api/cases?status=accepted", HttpStatusCode.OK);

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}CaseIndex()"] = 1, // one page of one partition (status-accepted)
                [$"table GET {p}Cases(key)"] = 3, // each case's current row: the case decides visibility and match
            }),
            operations);
    }

    [Fact]
    public async Task AnAgencyListOfAnotherStatusReadsNoCase()
    {
        await using var host = await TestHost.StartAsync();
        for (var n = 1; n <= 3; n++)
        {
            await CostFixture.CreateAsync(host, n);
        }

        var p = host.Prefix;

        // The agency partition holds three accepted cases; pointers carry the status, so none is read.
        var operations = await CostFixture.MeasureAsync(host, "ListCases", HttpMethod.Get, "api/cases?agency=midori-kodomo-ka&status=closed", HttpStatusCode.OK);

        Assert.Equal(CostFixture.SignedInAndAudited(p, new Dictionary<string, long> { [$"table GET {p}CaseIndex()"] = 1 }), operations);
    }

    [Fact]
    public async Task AMemberListSkipsCasesItsAgencyHasLeftWithoutReadingThem()
    {
        await using var host = await TestHost.StartAsync();
        await host.SaveDemoAgenciesAsync();
        var today = JapanTime.Today(TimeProvider.System);
        var left = CostFixture.Record(1, today) with { Participants = [new Participation { AgencyId = "hikari-hoikuen", From = today.AddYears(-1), To = today.AddDays(-1) }], Staff = [new NamedStaff { PersonId = Serverless.DevHost.DemoPeople.PersonId("nursery-yamada"), AgencyId = "hikari-hoikuen" }] };
        var stays = CostFixture.Record(2, today) with { Participants = [new Participation { AgencyId = "hikari-hoikuen", From = today.AddYears(-1), To = today.AddMonths(1) }], Staff = [new NamedStaff { PersonId = Serverless.DevHost.DemoPeople.PersonId("nursery-yamada"), AgencyId = "hikari-hoikuen" }] };
        foreach (var record in new[] { left, stays })
        {
            Assert.IsType<CaseOutcome<CaseView>.Done>(await host.Get<CaseService>().CreateAsync(CostFixture.Coordinator, new CreateCaseRequest(record), CancellationToken.None));
        }

        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "ListCases", HttpMethod.Get, "api/cases", HttpStatusCode.OK, person: "nursery-yamada");

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}CaseIndex()"] = 1, // the nursery's partition, pointers active today only
                [$"table GET {p}Cases(key)"] = 1, // the case it still takes part in; the one it left is not read
            }),
            operations);
    }

    [Fact]
    public async Task AHistoryPageCostsOnePointReadAndOneQuery()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await CostFixture.CreateAsync(host, 1);
        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "CaseHistory", HttpMethod.Get, $"api/cases/{caseId}/history", HttpStatusCode.OK);

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the current row: may the caller see the case?
                [$"table GET {p}Cases()"] = 1, // the version rows, newest first, one page of the case's partition
            }),
            operations);
    }

    [Fact]
    public async Task SearchingByAKatakanaNameCostsOneIndexQueryAndOneReadPerCandidate()
    {
        await using var host = await TestHost.StartAsync();
        await CostFixture.CreateAsync(host, 1);
        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "SearchCases", HttpMethod.Post, "api/cases/search", HttpStatusCode.OK, new JsonObject { ["name"] = "ハヤカワ ミナト1" });

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}ChildIndex()"] = 1, // katakana reads the same as kana and as kanji: one hash, one partition
                [$"table GET {p}Cases(key)"] = 1, // the one candidate, read for its bar (a barred caller must not find it)
            }),
            operations);
    }

    [Fact]
    public async Task SearchingByAHiraganaNameAndABirthDateCostsThreeIndexQueriesAndOneReadPerCandidate()
    {
        await using var host = await TestHost.StartAsync();
        await CostFixture.CreateAsync(host, 1);
        var p = host.Prefix;
        var criteria = new JsonObject { ["name"] = "はやかわ みなと1", ["birthDate"] = "2018-04-01" };

        var operations = await CostFixture.MeasureAsync(host, "SearchCases", HttpMethod.Post, "api/cases/search", HttpStatusCode.OK, criteria);

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}ChildIndex()"] = 3, // the name read as kana, the name read as kanji, the birth date
                [$"table GET {p}Cases(key)"] = 1, // the one candidate, read for its bar (a barred caller must not find it)
            }),
            operations);
    }

    [Fact]
    public async Task OpeningBreakGlassCostsOneCaseReadThreeQueriesOneNotificationPerCoordinatorAndTheGrant()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await CostFixture.CreateAsync(host, 1); // the child guidance centre is not on it
        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "OpenBreakGlass", HttpMethod.Post, $"api/cases/{caseId}/break-glass", HttpStatusCode.Created, new JsonObject { ["reason"] = "夜間の緊急対応" }, person: "jisou-ito");

        var expected = CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
        {
            [$"table GET {p}Cases(key)"] = 1, // the current row: does it exist, is the caller barred, does she see it already?
            [$"table GET {p}BreakGlassGrants()"] = 1, // her grants on the case: one still running is not opened again
            [$"table POST {p}Notifications"] = 2, // one per other coordinator (sato and mori), before the grant exists
            [$"table POST {p}BreakGlassGrants"] = 1, // the grant, insert only
            [$"table GET {p}Webhooks()"] = 1, // the chat channels of the coordinators' agency (the division): none here
        });
        expected[$"table GET {p}People()"] = 2; // sign-in, and the coordinators on duty today with their agencies (one query by role)
        Assert.Equal(expected, operations);
    }

    [Fact]
    public async Task ProposingADisposalCostsThreePointReadsOneQueryAndOneInsert()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await CostFixture.CreateAsync(host, 1);
        var closure = new JsonObject { ["outcome"] = "improved", ["reason"] = "見守りの必要がなくなった", ["decidedOn"] = "2019-03-01", ["meeting"] = "第3回実務者会議" };
        var closed = await host.Get<CaseService>().UpdateAsync(CostFixture.Coordinator, caseId, new ExpectedVersion(1), new UpdateCaseRequest("実務者会議で終結", new JsonObject { ["status"] = "closed", ["closure"] = closure }), CancellationToken.None);
        Assert.IsType<CaseOutcome<CaseView>.Done>(closed);
        await Serverless.Tests.Disposal.DisposalApi.AgeClosingVersionAsync(host, caseId, new DateOnly(2019, 3, 1));
        var p = host.Prefix;
        var body = new JsonObject { ["reason"] = "保存期間満了", ["ruleReference"] = "文書管理規程第12条" };

        var operations = await CostFixture.MeasureAsync(host, "ProposeDisposal", HttpMethod.Post, $"api/cases/{caseId}/disposal", HttpStatusCode.Created, body);

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the current row: visibility and status
                [$"table GET {p}Cases()"] = 1, // the versions, newest first, back to the one that closed the case: when the app recorded the closure
                [$"table GET {p}LegalHolds(key)"] = 1, // the hold in force, if any: one point read
                [$"table GET {p}Disposals(key)"] = 1, // an earlier proposal of the case, if any
                [$"table POST {p}Disposals"] = 1, // the proposal, insert-only: of two proposers exactly one succeeds
            }),
            operations);
    }

    [Fact]
    public async Task ReadingTheAuditOfACaseCostsTheLastSealOneIndexQueryAndOneQueryOfTheUnsealedTail()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await CostFixture.CreateAsync(host, 1);
        var p = host.Prefix;

        var operations = await CostFixture.MeasureAsync(host, "GetAudit", HttpMethod.Get, $"api/audit?caseId={caseId}", HttpStatusCode.OK, person: "auditor-watanabe");

        Assert.Equal(
            CostFixture.SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}AuditSeals(key)"] = 1, // the seal head hint...
                [$"table GET {p}AuditSeals()"] = 1, // ...and the seals from it: where the sealed (indexed) entries end
                [$"table GET {p}AuditByCase()"] = 1, // the case's partition of the index, up to the last sealed entry
                [$"table GET {p}AuditLog()"] = 1, // the entries not sealed yet, from the log itself
            }),
            operations);
    }
}

file static class CostFixture
{
    public static readonly Caller Coordinator = new("coordinator-sato", "midori-kodomo-ka", CallerRole.Coordinator);

    /// <summary>A case led by the division, with the school as key agency and the health centre taking part.</summary>
    public static CaseRecord Record(int n, DateOnly today) => new()
    {
        Category = CaseCategory.RequiringSupport,
        Child = new Person
        {
            Name = new PersonName { Family = "早川", Given = "湊" + n, FamilyKana = "ハヤカワ", GivenKana = "ミナト" + n },
            BirthDate = today.AddYears(-7).AddDays(-n),
        },
        LeadAgencyId = "midori-kodomo-ka",
        KeyAgencyId = "minami-shogakko",
        Participants = [new Participation { AgencyId = "midori-hoken-center", From = today.AddMonths(-1) }],
        NextReviewDate = today.AddDays(n),
    };

    /// <summary>Registers the demo agencies (once is enough; saving again is harmless) and a case, outside any measured function.</summary>
    public static async Task<string> CreateAsync(TestHost host, int n)
    {
        await host.SaveDemoAgenciesAsync();
        var outcome = await host.Get<CaseService>().CreateAsync(Coordinator, new CreateCaseRequest(Record(n, JapanTime.Today(TimeProvider.System))), CancellationToken.None);
        return Assert.IsType<CaseOutcome<CaseView>.Done>(outcome).Value.CaseId;
    }

    public static JsonObject Patch(JsonObject changes) => new() { ["reason"] = "実務者会議での決定", ["changes"] = changes };

    /// <summary>
    /// <paramref name="operations"/> plus what every signed-in request costs on top: one query of the
    /// person's partition (profile and memberships, read on every request so an ended membership stops
    /// at once), and the audit's intent and outcome entries, however many cases the answer carried (the
    /// outcome lists them; the by-case index is written from it when the sealer seals it).
    /// </summary>
    public static Dictionary<string, long> SignedInAndAudited(string p, Dictionary<string, long> operations)
        => new(operations)
        {
            [$"table GET {p}People()"] = 1,
            [$"table POST {p}AuditLog"] = 2,
        };

    /// <summary>Sends one request and returns what the function did to storage during it.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> MeasureAsync(TestHost host, string function, HttpMethod method, string path, HttpStatusCode expected, JsonNode? body = null, string? ifMatch = null, string person = "coordinator-sato")
    {
        var before = host.Counter.For(function);
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

        using var response = await host.Client.SendAsync(request);

        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return StorageOperationCounter.Difference(before, host.Counter.For(function));
    }
}

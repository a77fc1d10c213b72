using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.DevHost;
using Serverless.Identity.SubmissionKeys;
using Serverless.OnCall;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.OnCall;

/// <summary>
/// <c>GET</c> and <c>PUT /api/on-call</c> as coordinators use them, over a fresh host whose clock stands at
/// 00:30 on Monday 16 June 2025 in Japan (still Sunday in UTC). Only coordinators read or change the schedule.
/// </summary>
public sealed class OnCallApiTests
{
    private const string Coordinator = "coordinator-sato";
    private const string OtherCoordinator = "coordinator-mori";

    private static readonly string Sato = DemoPeople.PersonId(Coordinator);
    private static readonly string Mori = DemoPeople.PersonId(OtherCoordinator);

    private static Task<HttpResponseMessage> GetAsync(CaseApi api, string? person = Coordinator)
        => api.SendAsync(HttpMethod.Get, "api/on-call", person);

    /// <param name="etag">Null sends no If-Match.</param>
    private static Task<HttpResponseMessage> PutAsync(CaseApi api, JsonNode schedule, string? etag, string? person = Coordinator)
        => api.SendAsync(HttpMethod.Put, "api/on-call", person, CaseApi.Json(schedule), request =>
        {
            if (etag is not null)
            {
                request.Headers.TryAddWithoutValidation("If-Match", etag);
            }
        });

    /// <summary>Weeknights 17:30 to 08:30 (Friday's into Saturday), Mori or Sato; a whole-day holiday with nobody on call.</summary>
    private static JsonObject Schedule() => new()
    {
        ["weekly"] = new JsonArray(
            Slot("monday", "17:30", "08:30", Sato),
            Slot("friday", "17:30", "08:30", Mori, Sato)),
        ["exceptions"] = new JsonArray(
            new JsonObject { ["date"] = "2025-07-21", ["personIds"] = new JsonArray(), ["note"] = "海の日：当番なし（全員に通知）" },
            new JsonObject { ["date"] = "2025-06-20", ["from"] = "17:30", ["to"] = "08:30", ["personIds"] = new JsonArray(Mori) }),
    };

    private static JsonObject Slot(string day, string from, string to, params string[] people)
        => new() { ["day"] = day, ["from"] = from, ["to"] = to, ["personIds"] = new JsonArray([.. people.Select(id => JsonValue.Create(id))]) };

    [Fact]
    public async Task BeforeAnyoneSavesOneTheScheduleIsEmptyAtVersionZero()
    {
        await using var api = await CaseApi.StartAsync();

        using var response = await GetAsync(api);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"v0\"", CaseApi.ETag(response));
        Assert.Equal("""{"schedule":{"weekly":[],"exceptions":[]},"version":0}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ACoordinatorSavesTheScheduleAndAnotherReadsItBackWithItsVersionAsETag()
    {
        await using var api = await CaseApi.StartAsync();

        using var saved = await PutAsync(api, Schedule(), etag: null);
        using var read = await GetAsync(api, OtherCoordinator);

        var body = await CaseApi.BodyAsync(saved);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("\"v1\"", CaseApi.ETag(saved));
        Assert.Equal(Schedule().ToJsonString(), body["schedule"]!.ToJsonString());
        Assert.Equal((1, CaseApi.Now, Sato), ((int)body["version"]!, body["updatedAt"]!.GetValue<DateTimeOffset>(), (string?)body["updatedBy"]));
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("\"v1\"", CaseApi.ETag(read));
        Assert.Equal(body.ToJsonString(), (await CaseApi.BodyAsync(read)).ToJsonString());

        var row = await Table(api).GetEntityAsync<TableEntity>(OnCallEntity.Partition, OnCallEntity.Row);
        Assert.Equal((1, 1L, Sato), (row.Value.GetInt32("SchemaVersion"), row.Value.GetInt64("Version"), row.Value.GetString("UpdatedBy")));
    }

    [Fact]
    public async Task ASaveNamesTheVersionItReplaces428WithoutIfMatchAnd412WithAnOtherOne()
    {
        await using var api = await CaseApi.StartAsync();
        (await PutAsync(api, Schedule(), etag: null)).Dispose();
        var changed = Schedule();
        changed["weekly"]!.AsArray().Add(Slot("sunday", "09:00", "09:00", Mori));

        using var missing = await PutAsync(api, changed, etag: null);
        using var stale = await PutAsync(api, changed, "\"v0\"");
        using var weak = await PutAsync(api, changed, "W/\"v1\"");
        using var current = await PutAsync(api, changed, "\"v1\"");
        using var again = await PutAsync(api, changed, "\"v1\"");

        await CaseApi.ProblemAsync(missing, ProblemCatalogue.PreconditionRequired);
        await CaseApi.ProblemAsync(stale, ProblemCatalogue.PreconditionFailed);
        Assert.Equal("\"v1\"", CaseApi.ETag(stale));
        await CaseApi.ProblemAsync(weak, ProblemCatalogue.PreconditionFailed);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal("\"v2\"", CaseApi.ETag(current));
        await CaseApi.ProblemAsync(again, ProblemCatalogue.PreconditionFailed); // a repeat after the save is another's change to it
        Assert.Equal("\"v2\"", CaseApi.ETag(again));
        using var read = await GetAsync(api);
        Assert.Equal(changed.ToJsonString(), (await CaseApi.BodyAsync(read))["schedule"]!.ToJsonString());
    }

    [Fact]
    public async Task TheFirstSaveMayNameVersionZeroAndSavingTheSameScheduleAgainMakesNoNewVersion()
    {
        await using var api = await CaseApi.StartAsync();

        using var first = await PutAsync(api, Schedule(), "\"v0\"");
        using var same = await PutAsync(api, Schedule(), "\"v1\"");

        Assert.Equal(("\"v1\"", "\"v1\""), (CaseApi.ETag(first), CaseApi.ETag(same)));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
    }

    [Fact]
    public async Task AnInvalidScheduleIsRefusedFieldByFieldAndNothingIsStored()
    {
        await using var api = await CaseApi.StartAsync();
        var schedule = new JsonObject
        {
            ["weekly"] = new JsonArray(
                Slot("monday", "25:00", "08:30"),
                Slot("tuesday", "17:30", "8:30", "taro", Sato, Sato, DemoPeople.PersonId("teacher-tanaka"))),
            ["exceptions"] = new JsonArray(
                new JsonObject { ["date"] = "2025-06-20", ["from"] = "09:00", ["personIds"] = new JsonArray(Mori) },
                new JsonObject { ["date"] = "2025-06-21", ["personIds"] = new JsonArray(DemoPeople.PersonId("auditor-watanabe")), ["note"] = new string('休', 201) }),
        };

        using var response = await PutAsync(api, schedule, etag: null, person: "coordinator-sato");

        await CaseApi.ValidationErrorsAsync(
            response,
            ("$.weekly[0].from", "invalid-value"),
            ("$.weekly[0].personIds", "required"),
            ("$.weekly[1].to", "invalid-value"),
            ("$.weekly[1].personIds[0]", "invalid-id"),
            ("$.weekly[1].personIds[2]", "duplicate"),
            ("$.weekly[1].personIds[3]", "not-a-coordinator"),
            ("$.exceptions[0].to", "required"),
            ("$.exceptions[1].note", "too-long"),
            ("$.exceptions[1].personIds[0]", "not-a-coordinator"));
        Assert.False((await Table(api).GetEntityIfExistsAsync<TableEntity>(OnCallEntity.Partition, OnCallEntity.Row)).HasValue);
    }

    [Fact]
    public async Task AMalformedBodyIsInvalidJsonAndAScheduleMustNameBothItsLists()
    {
        await using var api = await CaseApi.StartAsync();

        using var noExceptions = await PutAsync(api, new JsonObject { ["weekly"] = new JsonArray() }, etag: null);
        using var badDay = await PutAsync(api, new JsonObject { ["weekly"] = new JsonArray(Slot("mon", "09:00", "17:00", Sato)), ["exceptions"] = new JsonArray() }, etag: null);
        using var unknownField = await PutAsync(api, new JsonObject { ["weekly"] = new JsonArray(), ["exceptions"] = new JsonArray(), ["holidays"] = new JsonArray() }, etag: null);

        await CaseApi.ProblemAsync(noExceptions, ProblemCatalogue.InvalidJson);
        await CaseApi.ProblemAsync(badDay, ProblemCatalogue.InvalidJson);
        await CaseApi.ProblemAsync(unknownField, ProblemCatalogue.InvalidJson);
        Assert.False((await Table(api).GetEntityIfExistsAsync<TableEntity>(OnCallEntity.Partition, OnCallEntity.Row)).HasValue);
    }

    [Fact]
    public async Task ExceptionsAlreadyOverAreDroppedWithoutCheckingWhoTheyNamedAndARunningOneIsKept()
    {
        await using var api = await CaseApi.StartAsync();
        var schedule = new JsonObject
        {
            ["weekly"] = new JsonArray(),
            ["exceptions"] = new JsonArray(
                new JsonObject { ["date"] = "2025-06-15", ["personIds"] = new JsonArray(DemoPeople.PersonId("teacher-tanaka")) }, // Sunday: over at midnight
                new JsonObject { ["date"] = "2025-06-15", ["from"] = "17:30", ["to"] = "08:30", ["personIds"] = new JsonArray(Mori), ["note"] = "  日曜夜の交代  " }, // runs until 08:30 today
                new JsonObject { ["date"] = "2025-06-16", ["personIds"] = new JsonArray(Sato), ["note"] = " " }),
        };

        using var response = await PutAsync(api, schedule, etag: null);

        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var kept = new JsonArray(
            new JsonObject { ["date"] = "2025-06-15", ["from"] = "17:30", ["to"] = "08:30", ["personIds"] = new JsonArray(Mori), ["note"] = "日曜夜の交代" },
            new JsonObject { ["date"] = "2025-06-16", ["personIds"] = new JsonArray(Sato) });
        Assert.True(JsonNode.DeepEquals(kept, body["schedule"]!["exceptions"]), body.ToJsonString());
    }

    [Theory]
    [InlineData("teacher-tanaka")]
    [InlineData("jisou-ito")]
    [InlineData("auditor-watanabe")]
    [InlineData("admin-kobayashi")]
    public async Task EveryoneButACoordinatorIsRefusedBothReadingAndSaving(string person)
    {
        await using var api = await CaseApi.StartAsync();

        using var read = await GetAsync(api, person);
        using var save = await PutAsync(api, Schedule(), etag: null, person);
        using var unreadable = await api.SendAsync(HttpMethod.Put, "api/on-call", person, new StringContent("{", Encoding.UTF8, "application/json"));

        await CaseApi.ProblemAsync(read, ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(save, ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(unreadable, ProblemCatalogue.Forbidden); // 403 before what is wrong with the body
        Assert.False((await Table(api).GetEntityIfExistsAsync<TableEntity>(OnCallEntity.Partition, OnCallEntity.Row)).HasValue);
    }

    [Fact]
    public async Task ASubmissionKeyAndAnUnauthenticatedCallerAreRefused()
    {
        await using var api = await CaseApi.StartAsync();
        var issued = await api.Host.Get<SubmissionKeyService>().IssueAsync("minami-shogakko", "南小学校 通告フォーム", null, [], [], DemoPeople.PersonId("admin-kobayashi"), CancellationToken.None);
        var key = Assert.IsType<SubmissionKeyOutcome<IssuedSubmissionKey>.Done>(issued).Value.Key;

        using var keyRead = await api.SendAsync(HttpMethod.Get, "api/on-call", null, arrange: request => request.Headers.TryAddWithoutValidation("Authorization", "SubmissionKey " + key));
        using var keySave = await api.SendAsync(HttpMethod.Put, "api/on-call", null, CaseApi.Json(Schedule()), request => request.Headers.TryAddWithoutValidation("Authorization", "SubmissionKey " + key));
        using var anonymousRead = await GetAsync(api, person: null);
        using var anonymousSave = await PutAsync(api, Schedule(), etag: null, person: null);

        await CaseApi.ProblemAsync(keyRead, ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(keySave, ProblemCatalogue.Forbidden);
        await CaseApi.ProblemAsync(anonymousRead, ProblemCatalogue.Unauthenticated);
        await CaseApi.ProblemAsync(anonymousSave, ProblemCatalogue.Unauthenticated);
        Assert.False((await Table(api).GetEntityIfExistsAsync<TableEntity>(OnCallEntity.Partition, OnCallEntity.Row)).HasValue);
    }

    [Fact]
    public async Task ReadingAndSavingAreAuditedAsOnCallReadAndUpdate()
    {
        await using var api = await CaseApi.StartAsync();

        (await GetAsync(api)).Dispose();
        api.Host.Clock!.Advance(TimeSpan.FromSeconds(1)); // entry ids sort by time
        (await PutAsync(api, Schedule(), etag: null)).Dispose();
        api.Host.Clock!.Advance(TimeSpan.FromSeconds(1));
        (await GetAsync(api, "teacher-tanaka")).Dispose();

        var outcome = await api.Host.Get<AuditQuery>().ByActorAsync(Sato, CaseApi.Now.AddHours(-1), CaseApi.Now.AddHours(1), AuditQuery.MaxPageSize, null, CancellationToken.None);
        var entries = Assert.IsType<AuditQueryOutcome.Done>(outcome).Page.Entries.Where(entry => entry.Kind == AuditEntryKinds.Outcome);
        Assert.Equal([(AuditActions.OnCallRead, nameof(AuditOutcome.Succeeded)), (AuditActions.OnCallUpdate, nameof(AuditOutcome.Succeeded))], entries.Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task ReadingCostsOnePointReadAndSavingOneMoreReadOfTheCoordinatorsAndOneWrite()
    {
        await using var api = await CaseApi.StartAsync();
        var p = api.Host.Prefix;

        var read = await MeasureAsync(api, "GetOnCallSchedule", () => GetAsync(api));
        var created = await MeasureAsync(api, "SaveOnCallSchedule", () => PutAsync(api, Schedule(), etag: null));
        var changed = Schedule();
        changed["exceptions"] = new JsonArray();
        var replaced = await MeasureAsync(api, "SaveOnCallSchedule", () => PutAsync(api, changed, "\"v1\""));

        Dictionary<string, long> SignedInAndAudited(Dictionary<string, long> operations)
            => new(operations) { [$"table GET {p}People()"] = operations.GetValueOrDefault($"table GET {p}People()") + 1, [$"table POST {p}AuditLog"] = 2 };
        Assert.Equal(SignedInAndAudited(new() { [$"table GET {p}OnCall(key)"] = 1 }), read);
        Assert.Equal(SignedInAndAudited(new() { [$"table GET {p}OnCall(key)"] = 1, [$"table GET {p}People()"] = 1, [$"table POST {p}OnCall"] = 1 }), created);
        Assert.Equal(SignedInAndAudited(new() { [$"table GET {p}OnCall(key)"] = 1, [$"table GET {p}People()"] = 1, [$"table PUT {p}OnCall(key)"] = 1 }), replaced);
    }

    private static async Task<IReadOnlyDictionary<string, long>> MeasureAsync(CaseApi api, string function, Func<Task<HttpResponseMessage>> send)
    {
        var before = api.Host.Counter.For(function);
        using var response = await send();
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return StorageOperationCounter.Difference(before, api.Host.Counter.For(function));
    }

    private static TableClient Table(CaseApi api) => api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(OnCallStore.TableName));
}

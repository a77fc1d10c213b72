using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Cases;
using Serverless.Cases.Disposal;
using Serverless.DevHost;
using Serverless.Entries;
using Serverless.Notifications;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Notifications;

/// <summary>
/// One entry reaches everyone on the case who must know, once each, through the entry-events queue; what a person
/// reads in the inbox is checked against what they may see at that moment.
/// </summary>
public sealed class InboxTests
{
    [Fact]
    public async Task AnUrgentReportReachesEveryNamedStaffWhoSeesItAndEveryCoordinatorButNeverItsAuthor()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);

        await api.DeliverQueuedAsync();

        foreach (var person in new[] { NurseryHead, Nurse, "coordinator-sato", "coordinator-mori" })
        {
            var notification = Assert.Single(await api.AboutAsync(person, reportId));
            Assert.Equal(("entry-added", caseId, "report", true, false, true), ((string?)notification["kind"], (string?)notification["caseId"], (string?)notification["entryType"], (bool)notification["urgent"]!, (bool)notification["read"]!, (bool)notification["available"]!));
            Assert.Equal(DemoPeople.PersonId(Teacher), (string?)notification["actorId"]);
            Assert.Equal(School, (string?)notification["actorAgencyId"]);
            Assert.Equal(TimeSpan.FromHours(9), DateTimeOffset.Parse((string)notification["at"]!, System.Globalization.CultureInfo.InvariantCulture).Offset);
        }

        Assert.Empty(await api.AboutAsync(Teacher, reportId)); // the author
        Assert.Empty(await api.InboxAsync(UnnamedTeacher)); // the school, but not named on the case
        Assert.Empty(await api.InboxAsync("jisou-ito")); // not on the case
    }

    [Fact]
    public async Task ACoordinatorsOnlyReportReachesTheCoordinatorsAndNoMember()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var body = Report("本人の言葉：「お父さんにたたかれた」", "coordinators-only");
        body["urgency"] = "routine";
        var reportId = await api.ReportIdAsync(caseId, body, Teacher);

        await api.DeliverQueuedAsync();

        Assert.Single(await api.AboutAsync("coordinator-sato", reportId));
        Assert.Single(await api.AboutAsync("coordinator-mori", reportId));
        Assert.Empty(await api.AboutAsync(NurseryHead, reportId));
        Assert.Empty(await api.AboutAsync(Nurse, reportId));
        var routine = Assert.Single(await api.AboutAsync("coordinator-sato", reportId));
        Assert.False((bool)routine["urgent"]!);
    }

    [Fact]
    public async Task AMentionIsMarkedForThePersonMentionedOnly()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var commentId = await api.CommentIdAsync(caseId, new JsonObject
        {
            ["text"] = "家庭訪問の結果を共有します。",
            ["mentions"] = new JsonObject { ["personIds"] = new JsonArray(DemoPeople.PersonId(Nurse)) },
        }, Teacher);

        await api.DeliverQueuedAsync();

        Assert.True((bool)Assert.Single(await api.AboutAsync(Nurse, commentId))["mentioned"]!);
        Assert.False((bool)Assert.Single(await api.AboutAsync(NurseryHead, commentId))["mentioned"]!);
        Assert.Equal("comment", (string?)Assert.Single(await api.AboutAsync(NurseryHead, commentId))["entryType"]);
    }

    [Fact]
    public async Task ARedeliveredEventMakesNoSecondInboxEntry()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        var message = Assert.Single(await api.QueuedEventsAsync(), text => text.Contains(reportId, StringComparison.Ordinal));

        await api.Host.Get<EntryEvents>().HandleAsync(message, CancellationToken.None);
        await api.Host.Get<EntryEvents>().HandleAsync(message, CancellationToken.None);
        await api.DeliverQueuedAsync();

        Assert.Single(await api.AboutAsync(NurseryHead, reportId));
        Assert.Single(await api.AboutAsync("coordinator-sato", reportId));
    }

    [Fact]
    public async Task AnEntryWhoseEventWasLostIsDeliveredByTheCatchUpTimerAndOnlyAfterItsGracePeriod()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        await NotificationApi.EntryEventQueue(api.Host).ClearMessagesAsync(); // as if the send had failed

        Assert.Equal(0, await api.Host.Get<EntryEvents>().CatchUpAsync(CancellationToken.None)); // within its grace period
        Assert.Empty(await api.AboutAsync(NurseryHead, reportId));
        api.Host.Clock!.Advance(EntryEvents.CatchUpAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(2, await api.Host.Get<EntryEvents>().CatchUpAsync(CancellationToken.None)); // the case's registration and the report

        Assert.Single(await api.AboutAsync(NurseryHead, reportId));
        Assert.Empty(await OutboxAsync(api));
        Assert.Equal(0, await api.Host.Get<EntryEvents>().CatchUpAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnAnnouncementWhoseEntryWasNeverStoredIsDroppedAfterTenMinutes()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        await api.DeliverQueuedAsync();
        var never = new StoredEntry(caseId, EntryIds.NewReport(), EntryType.Report, api.Host.Clock!.GetUtcNow(), null, new EntryAuthor(EntryAuthor.Person, "p-x", School), EntryScope.AllParticipants, 1, "x", null, null, null, null);
        await api.Host.Get<EntryEvents>().AnnounceAsync(never, CancellationToken.None);

        api.Host.Clock.Advance(TimeSpan.FromMinutes(5));
        await api.Host.Get<EntryEvents>().CatchUpAsync(CancellationToken.None);
        Assert.Single(await OutboxAsync(api));
        api.Host.Clock.Advance(TimeSpan.FromMinutes(6));
        await api.Host.Get<EntryEvents>().CatchUpAsync(CancellationToken.None);

        Assert.Empty(await OutboxAsync(api));
    }

    [Fact]
    public async Task AnEntryThatCannotBeAnnouncedIsNotStoredAndItsIdempotencyKeyWorksAgainAtOnce()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var outbox = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(EntryOutbox.TableName));
        await outbox.DeleteAsync(); // the announcement's write fails

        using (var failed = await api.SubmitReportAsync(caseId, Report("届かない報告"), Teacher, idempotencyKey: "k-announce"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        Assert.Empty(await TimelineReportsAsync(api, caseId));
        await outbox.CreateIfNotExistsAsync();
        using var retried = await api.SubmitReportAsync(caseId, Report("届かない報告"), Teacher, idempotencyKey: "k-announce");

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode); // not 409 in-flight: the failed attempt released its mark
        Assert.Single(await TimelineReportsAsync(api, caseId));
    }

    [Fact]
    public async Task CaseChangesReachTheNamedStaffAndANewParticipantsStaffHearOfTheirJoining()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = School;
        CaseApi.NameDemoStaff(record);
        var caseId = await api.CreateIdAsync(record);
        await api.DeliverQueuedAsync();
        Assert.Equal("case-change", (string?)Assert.Single(await api.InboxAsync(Teacher))!["entryType"]); // registered
        Assert.Empty(await api.InboxAsync(NurseryHead));

        using var joined = await api.PatchAsync(caseId, "\"v1\"", "保育園が参加", new JsonObject
        {
            ["participants"] = new JsonArray(new JsonObject { ["agencyId"] = Nursery, ["from"] = "2025-06-01" }),
            ["staff"] = new JsonArray(
                new JsonObject { ["personId"] = DemoPeople.PersonId(Teacher), ["agencyId"] = School },
                new JsonObject { ["personId"] = DemoPeople.PersonId(NurseryHead), ["agencyId"] = Nursery }),
        });
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        await api.DeliverQueuedAsync();

        Assert.Equal(2, (await api.InboxAsync(Teacher)).Count);
        var told = Assert.Single(await api.InboxAsync(NurseryHead))!;
        Assert.Equal(("case-change", caseId), ((string?)told["entryType"], (string?)told["caseId"]));
    }

    [Fact]
    public async Task APersonBarredSinceReadsThatSomethingWasThereButNothingAboutItAndIsToldNothingMore()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var first = await api.ReportIdAsync(caseId, Report(), Teacher);
        await api.DeliverQueuedAsync();
        using (var barred = await api.PatchAsync(caseId, "\"v1\"", "利益相反", new JsonObject
        {
            ["staff"] = new JsonArray(
                new JsonObject { ["personId"] = DemoPeople.PersonId(Teacher), ["agencyId"] = School },
                new JsonObject { ["personId"] = DemoPeople.PersonId(Nurse), ["agencyId"] = HealthCentre }),
            ["barredPersonIds"] = new JsonArray(DemoPeople.PersonId(NurseryHead)),
        }))
        {
            Assert.Equal(HttpStatusCode.OK, barred.StatusCode);
        }

        var second = await api.ReportIdAsync(caseId, Report("二回目"), Teacher);
        await api.DeliverQueuedAsync();

        var inbox = await api.InboxAsync(NurseryHead);
        Assert.Equal(2, inbox.Count); // the case's registration and the first report, from before the bar
        Assert.All(inbox, item =>
        {
            Assert.Equal(("unavailable", false), ((string?)item!["kind"], (bool)item["available"]!));
            Assert.DoesNotContain(caseId, item.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(first, item.ToJsonString(), StringComparison.Ordinal);
            Assert.Null(item["actorId"]);
        });
        Assert.DoesNotContain(inbox, item => item!.ToJsonString().Contains(second, StringComparison.Ordinal));
        Assert.Single(await api.AboutAsync(Nurse, second));
    }

    [Fact]
    public async Task OneReadOrEverythingUpToATimeAndTheUnreadListAndCountFollow()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        api.Host.Clock!.Advance(TimeSpan.FromMinutes(1));
        var first = await api.ReportIdAsync(caseId, Report("一件目"), Teacher);
        api.Host.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await api.ReportIdAsync(caseId, Report("二件目"), Teacher);
        await api.DeliverQueuedAsync();
        Assert.Equal(3, await api.UnreadCountAsync(Nurse)); // the registration and two reports
        var secondId = (string)Assert.Single(await api.AboutAsync(Nurse, second))["notificationId"]!;

        using (var one = await api.SendAsync(HttpMethod.Post, $"api/notifications/{secondId}/read", Nurse))
        {
            Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        }

        Assert.Equal(2, await api.UnreadCountAsync(Nurse));
        Assert.True((bool)Assert.Single(await api.AboutAsync(Nurse, second))["read"]!);
        var unread = await api.InboxAsync(Nurse, "?unread=true"); // newest first: the first report, then the registration
        Assert.Equal(["report", "case-change"], unread.Select(item => (string?)item!["entryType"]));
        Assert.Equal(first, (string?)unread[0]!["entryId"]);
        Assert.Equal(3, await api.UnreadCountAsync(NurseryHead)); // one person's reading is theirs

        using (var all = await api.SendAsync(HttpMethod.Post, "api/notifications/read", Nurse, CaseApi.Json(new JsonObject { ["upTo"] = "2025-06-16T00:31:00+09:00" })))
        {
            Assert.Equal("2025-06-16T00:31:00+09:00", (string?)(await CaseApi.BodyAsync(all))["readUpTo"]);
        }

        Assert.Equal(0, await api.UnreadCountAsync(Nurse));
        Assert.Empty(await api.InboxAsync(Nurse, "?unread=true"));
        Assert.All(await api.InboxAsync(Nurse), item => Assert.True((bool)item!["read"]!));
        using (var older = await api.SendAsync(HttpMethod.Post, "api/notifications/read", Nurse, CaseApi.Json(new JsonObject { ["upTo"] = "2025-06-15T00:00:00+09:00" })))
        {
            Assert.Equal("2025-06-16T00:31:00+09:00", (string?)(await CaseApi.BodyAsync(older))["readUpTo"]); // never back
        }
    }

    [Fact]
    public async Task TheUnreadCountStopsAt999AndSaysItIsCapped()
    {
        await using var api = await CaseApi.StartAsync();
        var inbox = api.Host.Get<NotificationInbox>();
        var person = DemoPeople.PersonId(Nurse);
        var at = api.Host.Clock!.GetUtcNow();
        async Task AddAsync(int count, int from)
        {
            foreach (var chunk in Enumerable.Range(from, count).Chunk(100))
            {
                await Task.WhenAll(chunk.Select(i => inbox.SendAsync([person], new Notification(NotificationInbox.NewId(at.AddSeconds(-i)), NotificationKinds.EntryAdded, "", null, "", "", at.AddSeconds(-i)), CancellationToken.None)));
            }
        }

        await AddAsync(998, 0);
        Assert.Equal((998, false), await CountAsync());
        await AddAsync(2, 998);

        Assert.Equal((NotificationInbox.MaxUnreadCount, true), await CountAsync());

        async Task<(int, bool)> CountAsync()
        {
            using var response = await api.SendAsync(HttpMethod.Get, "api/notifications/unread-count", Nurse);
            var body = await CaseApi.BodyAsync(response);
            return ((int)body["unread"]!, (bool)body["capped"]!);
        }
    }

    [Fact]
    public async Task MarkingReadRefusesAFutureTimeAnotherPersonsNotificationAndAForm()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        var forCoordinators = await api.ReportIdAsync(caseId, Report("本人の言葉", "coordinators-only"), Teacher);
        await api.DeliverQueuedAsync();
        var coordinatorsOwn = (string)Assert.Single(await api.AboutAsync("coordinator-sato", forCoordinators))["notificationId"]!;

        await CaseApi.ValidationErrorsAsync(await api.SendAsync(HttpMethod.Post, "api/notifications/read", Nurse, CaseApi.Json(new JsonObject { ["upTo"] = "2030-01-01T00:00:00+09:00" })), ("$.upTo", "future-date"));
        await CaseApi.ValidationErrorsAsync(await api.SendAsync(HttpMethod.Post, "api/notifications/read", Nurse, CaseApi.Json(new JsonObject { ["upTo"] = "2025-06-16T00:00:00" })), ("$.upTo", "offset-required"));
        await CaseApi.ValidationErrorsAsync(await api.ListInboxAsync(Nurse, "?unread=yes"), ("$.unread", "invalid-value"));
        await CaseApi.ProblemAsync(await api.SendAsync(HttpMethod.Post, $"api/notifications/{coordinatorsOwn}/read", Nurse), ProblemCatalogue.NotFound); // not in her inbox
        await CaseApi.ProblemAsync(await api.SendAsync(HttpMethod.Post, "api/notifications/not-an-id/read", Nurse), ProblemCatalogue.NotFound);
        var key = await api.KeyAsync(School);
        await CaseApi.ProblemAsync(await api.SendAsync(HttpMethod.Get, "api/notifications/unread-count", null, arrange: request => Credentials(request, key, null)), ProblemCatalogue.Forbidden);

        Assert.Equal(2, await api.UnreadCountAsync(Nurse)); // nothing above marked anything: the registration and the report
        Assert.False((bool)Assert.Single(await api.AboutAsync("coordinator-sato", forCoordinators))["read"]!);
    }

    [Fact]
    public async Task ErasingACaseErasesItsNotificationsAndItsPendingAnnouncements()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var other = await api.SharedCaseAsync();
        await api.ReportIdAsync(caseId, Report(), Teacher);
        await api.DeliverQueuedAsync();
        await api.ReportIdAsync(caseId, Report("未配信"), Teacher); // announced, not yet delivered
        await api.ReportIdAsync(other, Report("別件"), Teacher);
        Assert.NotEmpty(await RowsAsync(api, NotificationInbox.TableName, caseId));
        Assert.NotEmpty(await RowsAsync(api, EntryOutbox.TableName, caseId));

        await api.Host.Get<CaseEraser>().EraseAsync(caseId, CancellationToken.None);

        Assert.Empty(await RowsAsync(api, NotificationInbox.TableName, caseId));
        Assert.Empty(await RowsAsync(api, EntryOutbox.TableName, caseId));
        Assert.NotEmpty(await RowsAsync(api, NotificationInbox.TableName, other));
        Assert.NotEmpty(await RowsAsync(api, EntryOutbox.TableName, other));
        // The queued event of an erased case tells nobody and writes nothing back into its partition.
        await api.DeliverQueuedAsync();
        Assert.Empty(await RowsAsync(api, NotificationInbox.TableName, caseId));
        Assert.Empty(await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(Serverless.Cases.Storage.CaseStore.TableName)).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")).ToListAsync());
    }

    private static async Task<List<JsonNode>> TimelineReportsAsync(CaseApi api, string caseId)
        => [.. (await api.EntriesAsync(caseId, Nurse)).Where(entry => (string?)entry!["type"] == "report").Select(entry => entry!)];

    private static async Task<List<TableEntity>> OutboxAsync(CaseApi api)
        => await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(EntryOutbox.TableName)).QueryAsync<TableEntity>().ToListAsync();

    private static async Task<List<TableEntity>> RowsAsync(CaseApi api, string table, string caseId)
        => await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(table)).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"CaseId eq {caseId}")).ToListAsync();
}

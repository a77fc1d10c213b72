using System.Net;
using System.Text.Json.Nodes;
using Serverless.Notifications;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Notifications;

/// <summary>
/// The exact storage operations of each inbox endpoint. Beside what every signed-in request costs (the person's
/// partition, the audit's intent and outcome), a page reads the person's read mark and one range of their partition,
/// then each case it names once and each entry's head once: checking what the reader may see now costs reads that grow
/// with the page, never with the inbox.
/// </summary>
public sealed class InboxStorageOperationTests
{
    [Fact]
    public async Task APageReadsTheMarkOneRangeEachCaseOnceAndEachEntrysHead()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var other = await api.SharedCaseAsync();
        await api.ReportIdAsync(caseId, Report("一件目"), Teacher);
        await api.ReportIdAsync(caseId, Report("二件目"), Teacher);
        await api.ReportIdAsync(other, Report("別件"), Teacher);
        await api.DeliverQueuedAsync(); // the nurse: two registrations and three reports
        await api.UnreadCountAsync(Nurse); // the nurse's first sign-in pins her issuer (a one-time write, not the page's cost)
        var p = api.Host.Prefix;

        var operations = await MeasureAsync(api, "ListNotifications", () => api.ListInboxAsync(Nurse, "?pageSize=50"));

        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}{NotificationInbox.TableName}(key)"] = 1, // the read mark (none yet)
                [$"table GET {p}{NotificationInbox.TableName}()"] = 1, // one range of the person's partition
                [$"table GET {p}Cases(key)"] = 2 + 5, // each case once (the gate), and each entry's head as it is now
            }),
            operations);
    }

    [Fact]
    public async Task TheCountReadsTheMarkAndOneRangeAndMarkingOneReadsAndMergesIt()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        await api.DeliverQueuedAsync();
        var notificationId = (string)Assert.Single(await api.AboutAsync(Nurse, reportId))["notificationId"]!;
        var p = api.Host.Prefix;

        var count = await MeasureAsync(api, "CountUnreadNotifications", () => api.SendAsync(HttpMethod.Get, "api/notifications/unread-count", Nurse));
        var one = await MeasureAsync(api, "MarkNotificationRead", () => api.SendAsync(HttpMethod.Post, $"api/notifications/{notificationId}/read", Nurse));
        var all = await MeasureAsync(api, "MarkNotificationsRead", () => api.SendAsync(HttpMethod.Post, "api/notifications/read", Nurse, CaseApi.Json(new JsonObject())));

        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}{NotificationInbox.TableName}(key)"] = 1, // the read mark
                [$"table GET {p}{NotificationInbox.TableName}()"] = 1, // the unread after it, keys only
            }),
            count);
        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}{NotificationInbox.TableName}(key)"] = 1, // the notification, in the caller's partition only
                [$"table PATCH {p}{NotificationInbox.TableName}(key)"] = 1, // merged: read, and when
            }),
            one);
        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}{NotificationInbox.TableName}(key)"] = 1, // the mark as it is
                [$"table POST {p}{NotificationInbox.TableName}"] = 1, // the first mark, inserted
            }),
            all);
    }

    private static Dictionary<string, long> SignedInAndAudited(string p, Dictionary<string, long> operations)
        => new(operations)
        {
            [$"table GET {p}People()"] = 1,
            [$"table POST {p}AuditLog"] = 2,
        };

    private static async Task<IReadOnlyDictionary<string, long>> MeasureAsync(CaseApi api, string function, Func<Task<HttpResponseMessage>> send)
    {
        var before = api.Host.Counter.For(function);
        using var response = await send();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return StorageOperationCounter.Difference(before, api.Host.Counter.For(function));
    }
}

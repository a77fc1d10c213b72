using System.Net;
using System.Text.Json.Nodes;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Entries;

/// <summary>
/// The exact storage operations of each entry endpoint, by function. Beside what every signed-in request costs
/// (the person's partition, the audit's intent and outcome), an entry costs
/// one point read of the case (the gate), its announcement in the entry outbox and one batch; nothing reads or writes
/// the case's <c>current</c> row.
/// </summary>
public sealed class EntryStorageOperationTests
{
    [Fact]
    public async Task SubmittingAReportCostsTheGatesReadItsAnnouncementOneBatchAndOneQueueMessage()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var p = api.Host.Prefix;

        var operations = await MeasureAsync(api, "SubmitReport", () => api.SubmitReportAsync(caseId, Report(), Teacher), HttpStatusCode.Created);

        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the gate: the case's current row
                [$"table POST {p}EntryOutbox"] = 1, // the entry announced for its notifications, before it is stored
                ["table POST $batch"] = 1, // the timeline head and the first version, together
                [$"queue POST {api.Host.Names.Queue("entry-events")}/messages"] = 1, // ids only, for what follows
            }),
            operations);
    }

    [Fact]
    public async Task AnIdempotencyKeyAddsOneReadAndOneMarkAndAReplayStoresNothing()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var p = api.Host.Prefix;

        var first = await MeasureAsync(api, "SubmitReport", () => api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "k-1"), HttpStatusCode.Created);
        var replay = await MeasureAsync(api, "SubmitReport", () => api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "k-1"), HttpStatusCode.Created);

        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 2, // the gate, and the key's completion record (none yet)
                [$"table POST {p}Cases"] = 1, // the in-flight mark
                [$"table POST {p}EntryOutbox"] = 1, // the announcement, beside the mark
                ["table POST $batch"] = 1, // the completion record with the entry's two rows
                [$"queue POST {api.Host.Names.Queue("entry-events")}/messages"] = 1,
            }),
            first);
        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 2, // the gate, and the completion record that answers
            }),
            replay);
    }

    [Fact]
    public async Task APageOfTheTimelineIsOnePartitionQueryAfterTheGate()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        for (var i = 0; i < 3; i++)
        {
            await api.ReportIdAsync(caseId, Report($"報告 {i}"), Teacher);
        }

        var p = api.Host.Prefix;
        var operations = await MeasureAsync(api, "GetTimeline", () => api.TimelineAsync(caseId, "?pageSize=50", Nurse), HttpStatusCode.OK);

        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the gate
                [$"table GET {p}Cases()"] = 1, // one range query over the timeline heads of the case's partition
            }),
            operations);
    }

    [Fact]
    public async Task AReplyReadsItsParentsVersionsOnce()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        var p = api.Host.Prefix;

        var operations = await MeasureAsync(api, "AddComment", () => api.CommentAsync(caseId, new JsonObject { ["text"] = "ありがとうございます", ["inReplyTo"] = reportId }, Nurse), HttpStatusCode.Created);

        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the gate
                [$"table GET {p}Cases()"] = 1, // the parent's versions (its scope and author)
                [$"table POST {p}EntryOutbox"] = 1,
                ["table POST $batch"] = 1,
                [$"queue POST {api.Host.Names.Queue("entry-events")}/messages"] = 1,
            }),
            operations);
    }

    [Fact]
    public async Task ReadingAReportCostsTheGateAndItsVersionsAndACorrectionAlsoItsHead()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        var p = api.Host.Prefix;

        var read = await MeasureAsync(api, "GetReport", () => api.GetReportAsync(caseId, reportId, Nurse), HttpStatusCode.OK);
        var corrected = await MeasureAsync(api, "CorrectReport", () => api.CorrectAsync(caseId, reportId, Report("訂正"), person: Teacher), HttpStatusCode.Created);

        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 1, // the gate
                [$"table GET {p}Cases()"] = 1, // every version, one range query (the newest says what the head says)
            }),
            read);
        Assert.Equal(
            SignedInAndAudited(p, new Dictionary<string, long>
            {
                [$"table GET {p}Cases(key)"] = 2, // the gate, and the timeline head (the ETag the correction replaces)
                [$"table GET {p}Cases()"] = 1,
                ["table POST $batch"] = 1, // the new version and the head it replaces (If-Match), together
            }),
            corrected);
    }

    /// <summary>What every signed-in request on one case costs besides its own work.</summary>
    private static Dictionary<string, long> SignedInAndAudited(string p, Dictionary<string, long> operations)
        => new(operations)
        {
            [$"table GET {p}People()"] = 1,
            [$"table POST {p}AuditLog"] = 2,
        };

    private static async Task<IReadOnlyDictionary<string, long>> MeasureAsync(CaseApi api, string function, Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
    {
        var before = api.Host.Counter.For(function);
        using var response = await send();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return StorageOperationCounter.Difference(before, api.Host.Counter.For(function));
    }
}

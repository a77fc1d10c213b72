using System.Net;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;

namespace Serverless.Tests.Cases.Costs;

/// <summary>
/// How many storage round trips a request waits for one after another (calls sent side by side count once):
/// latency on Azure is mostly these. Counted from when each call was sent and answered, not timed.
/// </summary>
public sealed class RoundTripTests
{
    [Fact]
    public async Task ReadingACaseIsFourCallsOfWhichThreeOneAfterAnotherTheCaseReadBesideTheAuditIntent()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        api.Host.Counter.KeepCalls = true;

        using var read = await api.GetAsync(caseId, EntryApi.Teacher);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var calls = api.Host.Counter.CallsOf("GetCase");
        var p = api.Host.Prefix;
        Assert.Equal(
            [$"table GET {p}Cases(key)", $"table GET {p}People()", $"table POST {p}AuditLog", $"table POST {p}AuditLog"],
            calls.Select(call => call.Operation).Order(StringComparer.Ordinal));
        Assert.Equal(3, StorageOperationCounter.SequentialDepth(calls)); // sign-in; the intent and the case; the outcome
        var intent = calls.Where(call => call.Operation.EndsWith("AuditLog", StringComparison.Ordinal)).MinBy(call => call.SentAt)!;
        var caseRead = calls.Single(call => call.Operation.EndsWith("Cases(key)", StringComparison.Ordinal));
        Assert.True(caseRead.SentAt < intent.AnsweredAt, "the case is read while the intent is written");
    }

    [Fact]
    public async Task APageOfTheTimelineWaitsForFourRoundTripsWhateverItCarries()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        for (var i = 0; i < 5; i++)
        {
            await api.ReportIdAsync(caseId, EntryApi.Report($"報告 {i}"), EntryApi.Teacher);
        }

        api.Host.Counter.KeepCalls = true;
        using var page = await api.TimelineAsync(caseId, "?pageSize=50", EntryApi.Nurse);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var calls = api.Host.Counter.CallsOf("GetTimeline");
        Assert.Equal(5, calls.Count);
        Assert.Equal(4, StorageOperationCounter.SequentialDepth(calls)); // sign-in; intent and case; the page; the outcome
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Serverless.Cases.Activity;
using Serverless.Storage;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Cases.Store;

public sealed class CaseActivityTests
{
    [Fact]
    public async Task ReportsArrivingDuringAnEditDoNotMakeItFail()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        var read = await api.GetAsync(caseId);
        var etag = CaseApi.ETag(read);
        var activity = api.Host.Get<CaseActivityLog>();

        // Agencies report and comment while the coordinator has the case open.
        await Task.WhenAll(
            activity.RecordAsync(caseId, CaseActivityKind.Report, CancellationToken.None),
            activity.RecordAsync(caseId, CaseActivityKind.Report, CancellationToken.None),
            activity.RecordAsync(caseId, CaseActivityKind.Comment, CancellationToken.None));

        Assert.Equal(etag, CaseApi.ETag(await api.GetAsync(caseId)));
        using var edit = await api.PatchAsync(caseId, etag, "見直し日の変更", new JsonObject { ["nextReviewDate"] = "2025-09-01" });
        Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
        Assert.Equal("\"v2\"", CaseApi.ETag(edit));
    }

    [Fact]
    public async Task ActivityKeepsTheLastTimeOfEachKindAndCostsOneWrite()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        var clock = (FakeTimeProvider)api.Host.Get<TimeProvider>();
        var activity = api.Host.Get<CaseActivityLog>();
        var before = api.Host.Counter.For("activity-test");

        using (StorageOperationCounter.BeginScope("activity-test"))
        {
            await activity.RecordAsync(caseId, CaseActivityKind.Report, CancellationToken.None);
        }

        var reportedAt = clock.GetUtcNow();
        clock.Advance(TimeSpan.FromMinutes(5));
        await activity.RecordAsync(caseId, CaseActivityKind.Comment, CancellationToken.None);

        var summary = await activity.GetAsync(caseId, CancellationToken.None);
        Assert.Equal(clock.GetUtcNow(), summary.LastActivityAt);
        Assert.Equal(reportedAt, summary.LastByKind[CaseActivityKind.Report]);
        Assert.Equal(clock.GetUtcNow(), summary.LastByKind[CaseActivityKind.Comment]);
        Assert.False(summary.LastByKind.ContainsKey(CaseActivityKind.Attachment));
        Assert.Equal(
            new Dictionary<string, long> { [$"table PATCH {api.Host.Prefix}Cases(key)"] = 1 },
            StorageOperationCounter.Difference(before, api.Host.Counter.For("activity-test")));
    }
}

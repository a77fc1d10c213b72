using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Audit.Integration.AuditedRequests;

namespace Serverless.Tests.Audit.Integration;

/// <summary>
/// Fail closed: when the intent entry cannot be written, the request answers 503 and neither returns nor
/// changes any case data; when the outcome cannot be written, the answer stands and the verifier flags
/// the intent that has no outcome.
/// </summary>
public sealed class FailClosedTests
{
    private static readonly Caller Coordinator = new(Serverless.DevHost.DemoPeople.PersonId(CaseApi.Coordinator), "midori-kodomo-ka", CallerRole.Coordinator);

    [Fact]
    public async Task WhenTheIntentCannotBeWrittenNothingIsReturnedOrChanged()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        var caseId = await api.CreateIdAsync(record);
        var family = (string)record["child"]!["name"]!["family"]!;
        await Log(api.Host).DeleteAsync(); // the audit log is gone: every intent write fails as storage does

        using var changed = await api.PatchAsync(caseId, "\"v1\"", "会議", new JsonObject { ["notes"] = "書かれてはならない" });
        using var read = await api.GetAsync(caseId);
        using var listed = await api.ListAsync("?status=accepted");
        using var created = await api.CreateAsync(CaseApi.ValidRecord());

        foreach (var response in new[] { changed, read, listed, created })
        {
            var body = await CaseApi.ProblemAsync(response, ProblemCatalogue.StorageUnavailable);
            Assert.Null(response.Headers.ETag);
            Assert.DoesNotContain(family, body.ToJsonString(), StringComparison.Ordinal);
            Assert.DoesNotContain(caseId, body.ToJsonString().Replace((string)body["instance"]!, "", StringComparison.Ordinal), StringComparison.Ordinal);
        }

        var stored = Assert.IsType<CaseOutcome<CaseView>.Done>(await api.Host.Get<CaseService>().GetAsync(Coordinator, caseId, CancellationToken.None)).Value;
        Assert.Equal(1, stored.Version);
        Assert.Null(stored.Record.Notes);
        var all = await api.Host.Get<CaseService>().ListAsync(Coordinator, new CaseListQuery(CaseStatus.Accepted, null, null, null, CaseListQuery.DefaultPageSize, null), CancellationToken.None);
        Assert.Equal([caseId], Assert.IsType<CaseOutcome<CaseListPage>.Done>(all).Value.Cases.Select(view => view.CaseId)); // the refused creation left no case
        Assert.Contains(api.Host.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Text.Contains("Audit intent for action case.update", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIntentWithoutItsOutcomeIsFlaggedByTheVerifier()
    {
        var clock = new FakeTimeProvider(CaseApi.Now);
        await using var host = await TestHost.StartAsync(
            clock: clock,
            services: services => services.Replace(ServiceDescriptor.Singleton<IAuditTrail>(provider => new OutcomeLostTrail(provider.GetRequiredService<AuditTrail>()))));
        var created = await host.Get<CaseService>().CreateAsync(Coordinator, new CreateCaseRequest(CaseRecordFrom(CaseApi.ValidRecord())), CancellationToken.None);
        var caseId = Assert.IsType<CaseOutcome<CaseView>.Done>(created).Value.CaseId;

        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/cases/{caseId}");
        host.SignIn(request, CaseApi.Coordinator);
        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the data was served before the outcome failed: the answer stands
        var intent = Assert.Single(await EntriesAsync(host, response));
        Assert.Equal(AuditEntryKinds.Intent, intent.Kind);
        clock.Advance(TimeSpan.FromMinutes(6)); // past the settle delay
        var report = await host.Get<AuditVerifier>().VerifyAsync(CancellationToken.None);
        var finding = Assert.Single(report.Findings);
        Assert.Equal(AuditFindingKinds.IntentWithoutOutcome, finding.Kind);
        Assert.Equal(intent.RowKey, finding.EntryId);
        Assert.Contains(host.Logs.Entries, entry => entry.Level == LogLevel.Error && entry.Text.Contains("the audit outcome could not be written", StringComparison.Ordinal));
    }

    private static CaseRecord CaseRecordFrom(JsonObject record)
        => System.Text.Json.JsonSerializer.Deserialize<CaseRecord>(record.ToJsonString(), CaseJson.Options)!;

    /// <summary>The real trail, except that outcome entries fail the way storage does.</summary>
    private sealed class OutcomeLostTrail(AuditTrail inner) : IAuditTrail
    {
        public Task<AuditIntent> BeginAsync(AuditActor actor, AuditRequest request, string action, string? caseId, string? entryId, bool breakGlass, CancellationToken cancellationToken, AuditTarget? target = null)
            => inner.BeginAsync(actor, request, action, caseId, entryId, breakGlass, cancellationToken, target);

        public Task CompleteAsync(AuditIntent intent, AuditActor actor, AuditOutcome outcome, IReadOnlyCollection<string> casesTouched, bool breakGlass, CancellationToken cancellationToken, IReadOnlyCollection<string>? entriesTouched = null, AuditTarget? target = null)
            => throw new Azure.RequestFailedException(503, "The server is busy.");

        public Task RecordAsync(AuditActor actor, AuditRequest request, string action, string? caseId, AuditOutcome outcome, CancellationToken cancellationToken, AuditTarget? target = null, string? requestedCaseId = null)
            => inner.RecordAsync(actor, request, action, caseId, outcome, cancellationToken, target, requestedCaseId);
    }
}

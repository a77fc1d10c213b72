using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Serverless.Audit;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Audit;

/// <summary>
/// A test host on a fake clock for the audit tests (no background triggers: the tests seal when they choose),
/// with bare clients on the audit tables and the seal container for arranging, tampering and inspecting.
/// </summary>
internal static class AuditTestHost
{
    /// <summary>Well in the past, so the ops tool (on the real clock) sees these entries as settled.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 5, 0, TimeSpan.Zero);

    public static readonly AuditActor Coordinator = new(AuditActorKind.Person, "p-sato", "a-midori-kodomo", "coordinator");

    public static readonly AuditActor Teacher = new(AuditActorKind.Person, "p-tanaka", "a-midori-school", "member");

    public static Task<TestHost> StartAsync(int entriesPerSeal = AuditOptions.MaxSealSize, DateTimeOffset? start = null)
        => TestHost.StartAsync(
            clock: new FakeTimeProvider(start ?? Start),
            services: services => services.Configure<AuditOptions>(options => options.EntriesPerSeal = entriesPerSeal));

    public static FakeTimeProvider Clock(this TestHost host) => host.Clock!;

    public static IAuditTrail Trail(this TestHost host) => host.Get<IAuditTrail>();

    public static TableClient LogTable(this TestHost host) => host.Storage.Tables.GetTableClient(host.Names.Table(AuditTables.LogTable));

    public static TableClient ByCaseTable(this TestHost host) => host.Storage.Tables.GetTableClient(host.Names.Table(AuditTables.ByCaseTable));

    public static TableClient SealTable(this TestHost host) => host.Storage.Tables.GetTableClient(host.Names.Table(AuditTables.SealTable));

    public static BlobContainerClient SealContainer(this TestHost host) => host.Storage.Blobs.GetBlobContainerClient(host.Names.Container(AuditTables.SealContainer));

    public static AuditRequest Request(string requestId) => new(requestId, "203.0.113.7");

    public static async Task<List<AuditEntryEntity>> EntriesAsync(this TestHost host) => await host.LogTable().QueryAsync<AuditEntryEntity>().ToListAsync();

    public static async Task<List<TableEntity>> RawEntriesAsync(this TestHost host) => await host.LogTable().QueryAsync<TableEntity>().ToListAsync();

    public static async Task<List<AuditByCaseEntity>> IndexRowsAsync(this TestHost host) => await host.ByCaseTable().QueryAsync<AuditByCaseEntity>().ToListAsync();

    public static async Task<List<AuditSealEntity>> SealRowsAsync(this TestHost host)
        => await host.SealTable().QueryAsync<AuditSealEntity>(entity => entity.PartitionKey == AuditSealEntity.Partition).ToListAsync();

    public static async Task<AuditSealDocument> SealDocumentAsync(this TestHost host, long number)
        => AuditSealDocument.Parse((await host.SealContainer().GetBlobClient(AuditTables.SealBlobName(number)).DownloadContentAsync()).Value.Content)!;

    public static async Task<List<string>> SealBlobNamesAsync(this TestHost host)
        => await host.SealContainer().GetBlobsAsync().Select(blob => blob.Name).ToListAsync();

    /// <summary>Moves the clock past the settle delay and seals everything written so far.</summary>
    public static async Task<AuditSealRun> SealAllAsync(this TestHost host)
    {
        host.Clock().Advance(TimeSpan.FromMinutes(6));
        return await host.Get<AuditSealer>().SealAsync(CancellationToken.None);
    }

    public static Task<AuditVerificationReport> VerifyAsync(this TestHost host) => host.Get<AuditVerifier>().VerifyAsync(CancellationToken.None);

    /// <summary>
    /// A small day of auditing, one second apart: a case read (intent, outcome), a list that showed two cases
    /// (intent, outcome), a refused read by a bad key (event, with a case) and a refused sign-in (event, no case).
    /// </summary>
    public static async Task<Scenario> WriteScenarioAsync(this TestHost host)
    {
        var trail = host.Trail();
        var (caseA, caseB, caseC) = (Serverless.Cases.CaseIds.New(), Serverless.Cases.CaseIds.New(), Serverless.Cases.CaseIds.New());
        var read = await trail.BeginAsync(Coordinator, Request("req-read"), AuditActions.CaseRead, caseA, null, false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        await trail.CompleteAsync(read, Coordinator, AuditOutcome.Succeeded, [], false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        var list = await trail.BeginAsync(Teacher, Request("req-list"), AuditActions.CaseList, null, null, false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        await trail.CompleteAsync(list, Teacher, AuditOutcome.Succeeded, [caseB, caseC], false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        await trail.RecordAsync(new AuditActor(AuditActorKind.SubmissionKey, "k-7f3a", null, null), Request("req-key"), AuditActions.CaseRead, caseC, AuditOutcome.Unauthenticated, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        await trail.RecordAsync(AuditActor.Anonymous, Request("req-signin"), AuditActions.SignIn, null, AuditOutcome.Unauthenticated, CancellationToken.None);
        var ids = (await host.EntriesAsync()).Select(entry => entry.RowKey).ToList();
        return new Scenario(caseA, caseB, caseC, ids);
    }

    /// <summary>The scenario's case ids and its six entry ids in order: read intent, read outcome, list intent,
    /// list outcome, key event, sign-in event.</summary>
    public sealed record Scenario(string CaseA, string CaseB, string CaseC, IReadOnlyList<string> EntryIds)
    {
        public string ReadIntent => EntryIds[0];

        public string ReadOutcome => EntryIds[1];

        public string ListIntent => EntryIds[2];

        public string ListOutcome => EntryIds[3];

        public string KeyEvent => EntryIds[4];

        public string SignInEvent => EntryIds[5];
    }
}

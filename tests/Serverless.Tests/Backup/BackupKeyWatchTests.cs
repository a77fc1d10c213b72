using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Backup;
using Serverless.Identity.People;
using Serverless.Notifications;
using Serverless.Storage;
using Serverless.Tests.Infrastructure;
using Serverless.Time;

namespace Serverless.Tests.Backup;

/// <summary>
/// Whoever can write app settings can swap <c>Backup:RecipientPublicKey</c> for a key of their own; the activity log
/// does not say which setting changed. The app keeps the key's fingerprint and, when it starts with another one,
/// audits <c>backup.recipient-key-change</c> (fingerprints only) and tells every coordinator, urgently, once.
/// </summary>
public sealed class BackupKeyWatchTests
{
    private readonly RSA original = RSA.Create(3072);
    private readonly RSA replacement = RSA.Create(3072);

    [Fact]
    public async Task TheFirstStartRecordsTheKeyAndTellsNobody()
    {
        await using var host = await TestHost.StartAsync(services: WithKey(original));

        Assert.Equal(BackupKeyWatchOutcome.Unchanged, await Watch(host, original).CheckAsync(CancellationToken.None));
        Assert.Empty(await ChangesAsync(host));
        Assert.All(await InboxesAsync(host), inbox => Assert.Empty(inbox));
    }

    [Fact]
    public async Task AStartWithAnotherRecipientKeyIsAuditedAndEveryCoordinatorIsToldUrgently()
    {
        await using var host = await TestHost.StartAsync(services: WithKey(original));

        Assert.Equal(BackupKeyWatchOutcome.Changed, await Watch(host, replacement).CheckAsync(CancellationToken.None));

        var change = Assert.Single(await ChangesAsync(host));
        Assert.Equal($"backup-key:{BackupEnvelope.Fingerprint(original)[..32]}:{BackupEnvelope.Fingerprint(replacement)[..32]}", change.GetString("RequestId"));
        Assert.Equal(BackupKeyWatch.ActorId, change.GetString("ActorId"));
        var inboxes = await InboxesAsync(host);
        Assert.NotEmpty(inboxes);
        Assert.All(inboxes, inbox =>
        {
            var notification = Assert.Single(inbox);
            Assert.Equal((BackupKeyWatch.KindChanged, true, ""), (notification.Kind, notification.Urgent ?? false, notification.CaseId));
        });
        Assert.Equal(BackupKeyWatchOutcome.Unchanged, await Watch(host, replacement).CheckAsync(CancellationToken.None));
    }

    /// <summary>Flex Consumption starts several instances together: the fingerprint row is replaced with its ETag,
    /// so exactly one of them records the change.</summary>
    [Fact]
    public async Task TwoInstancesStartingAtOnceRecordTheChangeOnce()
    {
        await using var host = await TestHost.StartAsync(services: WithKey(original));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Watch(host, replacement).CheckAsync(CancellationToken.None)));

        Assert.Equal(1, outcomes.Count(outcome => outcome == BackupKeyWatchOutcome.Changed));
        Assert.Equal(3, outcomes.Count(outcome => outcome == BackupKeyWatchOutcome.Unchanged));
        Assert.Single(await ChangesAsync(host));
        Assert.All(await InboxesAsync(host), inbox => Assert.Single(inbox));
    }

    private static Action<IServiceCollection> WithKey(RSA key)
        => services => services.PostConfigure<BackupOptions>(options => options.RecipientPublicKey = key.ExportSubjectPublicKeyInfoPem());

    /// <summary>Another instance of the app, started with <paramref name="key"/>.</summary>
    private static BackupKeyWatch Watch(TestHost host, RSA key)
        => new(
            host.Get<StorageClients>(),
            host.Get<StorageNames>(),
            Options.Create(new BackupOptions { RecipientPublicKey = key.ExportSubjectPublicKeyInfoPem() }),
            host.Get<IAuditTrail>(),
            host.Get<PeopleDirectory>(),
            host.Get<NotificationInbox>(),
            TimeProvider.System,
            NullLogger<BackupKeyWatch>.Instance);

    private static async Task<List<TableEntity>> ChangesAsync(TestHost host)
        => await host.Get<StorageClients>().Tables.GetTableClient(host.Get<StorageNames>().Table(AuditTables.LogTable))
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Action eq {AuditActions.BackupRecipientKeyChange}")).ToListAsync();

    private static async Task<List<IReadOnlyList<Notification>>> InboxesAsync(TestHost host)
    {
        var coordinators = await host.Get<PeopleDirectory>().CoordinatorsOnAsync(JapanTime.Today(TimeProvider.System), CancellationToken.None);
        var inboxes = new List<IReadOnlyList<Notification>>();
        foreach (var coordinator in coordinators)
        {
            inboxes.Add((await host.Get<NotificationInbox>().PageAsync(coordinator, false, null, 100, null, CancellationToken.None)).Items);
        }

        return inboxes;
    }
}

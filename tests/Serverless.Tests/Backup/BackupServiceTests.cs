using System.Text.Json.Nodes;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Serverless.Audit;
using Serverless.Backup;
using Serverless.DevHost;
using Serverless.Ops;
using Serverless.Tests.Infrastructure;
using Serverless.Tests.Ops;

namespace Serverless.Tests.Backup;

/// <summary>
/// The app's own daily backup, against Azurite: the Backup timer runs <see cref="BackupService"/> as the
/// app, into a backup container of its own (on the shared Azurite, a fresh container per test), and
/// <c>restore --from-container-url</c> puts it into an empty instance.
/// </summary>
public sealed class BackupServiceTests : IDisposable
{
    private const string ExecutedBackup = "Executed 'Functions.Backup' (Succeeded";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset JustBefore = new(2026, 11, 25, 17, 59, 0, TimeSpan.Zero);

    private readonly RSA coordinator = RSA.Create(3072);
    private readonly string work = Directory.CreateTempSubdirectory("serverless-backup-service-tests-").FullName;
    private readonly string containerName = "backups-" + Guid.NewGuid().ToString("N")[..12];

    private BlobContainerClient Destination => new(TestStorage.ConnectionString, containerName);

    [Fact]
    public async Task TheTimerBacksUpAt1800UtcIntoTheBackupContainerAndWritesNoPlaintext()
    {
        var clock = new FakeTimeProvider(JustBefore);
        await using var host = await TestHost.StartAsync(backgroundTriggers: true, clock: clock, services: Enabled);
        var caseIds = await BackupRestoreTests.SeedAsync(host);
        var scheduler = host.Services.GetServices<TimerTriggerScheduler>().Single(timer => timer.Function.Name == "Backup");
        var due = new DateTimeOffset(2026, 11, 25, 18, 0, 0, TimeSpan.Zero);
        await TestHost.WaitUntilAsync(() => Task.FromResult(scheduler.NextDue == due), Timeout, "the backup is due at 18:00");

        clock.SetUtcNow(due);
        await TestHost.WaitUntilAsync(() => Task.FromResult(host.Logs.Entries.Any(entry => entry.Text.Contains(ExecutedBackup, StringComparison.Ordinal))), Timeout, "the 18:00 backup has run");

        var blobs = await Destination.GetBlobsAsync().ToListAsync();
        var id = Assert.Single(blobs.Select(blob => blob.Name.Split('/')[0]).Distinct());
        Assert.Contains(blobs, blob => blob.Name == $"{id}/manifest.json");
        Assert.Contains(blobs, blob => blob.Name == $"{id}/tables/Cases.00000.enc");
        Assert.Equal(2, blobs.Count(blob => blob.Name.StartsWith($"{id}/blobs/", StringComparison.Ordinal)));
        string[] secrets = [BackupRestoreTests.DistinctiveFamilyName, "タカツカサ", caseIds[0], "probe-secret-note", "readme.txt"];
        foreach (var blob in blobs)
        {
            var bytes = (await Destination.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, blob.Name, StringComparison.Ordinal);
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{secret} in UTF-8 in {blob.Name}");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)) < 0, $"{secret} in UTF-16 in {blob.Name}");
            }
        }

        var exports = Assert.IsType<AuditQueryOutcome.Done>(await host.Get<AuditQuery>().ByActorAsync(BackupService.ScheduledActorId, due.AddHours(-1), due.AddHours(1), null, null, CancellationToken.None)).Page.Entries;
        var export = Assert.Single(exports);
        Assert.Equal((AuditActions.BackupExport, nameof(AuditOutcome.Succeeded)), (export.Action, export.Outcome));
    }

    [Fact]
    public async Task ASecondRunCopiesOnlyTheBlobsThatChanged()
    {
        await using var host = await TestHost.StartAsync(services: Enabled);
        await BackupRestoreTests.SeedAsync(host);
        var backups = host.Get<BackupService>();

        var first = (await backups.RunScheduledAsync(CancellationToken.None))!;
        await BackupRestoreTests.UploadAsync(host, "second.json", "{\"second\":true}", "application/json", []);
        var second = (await backups.RunScheduledAsync(CancellationToken.None))!;

        Assert.Equal((2, 2), (first.Blobs, first.BlobsCopied));
        Assert.Equal((3, 1), (second.Blobs, second.BlobsCopied));
        var names = await Destination.GetBlobsAsync().Select(blob => blob.Name).ToListAsync();
        Assert.Equal(2, names.Count(name => name.StartsWith($"{first.BackupId}/blobs/", StringComparison.Ordinal)));
        Assert.Single(names, name => name.StartsWith($"{second.BackupId}/blobs/", StringComparison.Ordinal));
        using var manifest = JsonDocument.Parse((await Destination.GetBlobClient($"{second.BackupId}/manifest.json").DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(first.BackupId, manifest.RootElement.GetProperty("previousBackupId").GetString());
        Assert.Equal(
            [first.BackupId, first.BackupId, second.BackupId],
            manifest.RootElement.GetProperty("blobs").EnumerateArray().Select(blob => blob.GetProperty("backupId").GetString()).Order(StringComparer.Ordinal));
    }

    /// <summary>The backup account deletes files after the retention (infra's lifecycle policy): a copy half
    /// that old is made again, so a recent backup never points at a file about to go.</summary>
    [Fact]
    public async Task ACopyOlderThanHalfTheRetentionIsMadeAgain()
    {
        await using var host = await TestHost.StartAsync(services: collection =>
        {
            Enabled(collection);
            collection.PostConfigure<BackupOptions>(options => options.RetentionDays = 8);
        });
        await BackupRestoreTests.SeedAsync(host);
        var backups = host.Get<BackupService>();
        var first = (await backups.RunScheduledAsync(CancellationToken.None))!;
        // As if the first copy of one blob had been made five days ago (more than half of 8), the other three.
        var manifestBlob = Destination.GetBlobClient($"{first.BackupId}/manifest.json");
        var manifest = JsonNode.Parse((await manifestBlob.DownloadContentAsync()).Value.Content.ToString())!.AsObject();
        var copies = manifest["blobs"]!.AsArray();
        var started = DateTimeOffset.ParseExact(first.BackupId, "yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        copies[0]!["backupId"] = started.AddDays(-5).ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        copies[1]!["backupId"] = started.AddDays(-3).ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
        await manifestBlob.UploadAsync(BinaryData.FromString(manifest.ToJsonString()), overwrite: true);

        var second = (await backups.RunScheduledAsync(CancellationToken.None))!;

        Assert.Equal((2, 2), (first.Blobs, first.BlobsCopied));
        Assert.Equal((2, 1), (second.Blobs, second.BlobsCopied));
        using var written = JsonDocument.Parse((await Destination.GetBlobClient($"{second.BackupId}/manifest.json").DownloadContentAsync()).Value.Content.ToArray());
        Assert.Equal(
            [copies[1]!["backupId"]!.GetValue<string>(), second.BackupId],
            written.RootElement.GetProperty("blobs").EnumerateArray().Select(blob => blob.GetProperty("backupId").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WhenTheExportCannotBeAuditedNothingIsBackedUp()
    {
        await using var host = await TestHost.StartAsync(services: collection =>
        {
            Enabled(collection);
            collection.Replace(ServiceDescriptor.Singleton<IAuditTrail>(new UnwritableTrail()));
        });
        await BackupRestoreTests.SeedAsync(host);

        var failure = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => host.Get<BackupService>().RunScheduledAsync(CancellationToken.None));

        Assert.Equal(503, failure.Status);
        Assert.False((await Destination.ExistsAsync()).Value);
    }

    [Fact]
    public async Task ABackupThatFailsAfterItsAuditEventIsAuditedAgainAsFailed()
    {
        await using var host = await TestHost.StartAsync(services: Enabled);
        await BackupRestoreTests.SeedAsync(host);
        await Destination.CreateIfNotExistsAsync();
        await Destination.GetBlobClient("20261125T000000000Z/manifest.json").UploadAsync(BinaryData.FromString("not a manifest"));

        var failure = await Assert.ThrowsAsync<BackupFailedException>(() => host.Get<BackupService>().RunScheduledAsync(CancellationToken.None));

        Assert.StartsWith("20261125T000000000Z/manifest.json is not a backup manifest: ", failure.Message, StringComparison.Ordinal);
        var exports = Assert.IsType<AuditQueryOutcome.Done>(await host.Get<AuditQuery>().ByActorAsync(BackupService.ScheduledActorId, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), null, null, CancellationToken.None)).Page.Entries;
        Assert.Equal(
            [nameof(AuditOutcome.Failed), nameof(AuditOutcome.Succeeded)],
            exports.Where(entry => entry.Action == AuditActions.BackupExport).Select(entry => entry.Outcome).Order(StringComparer.Ordinal));
        Assert.Equal(["20261125T000000000Z/manifest.json"], await Destination.GetBlobsAsync().Select(blob => blob.Name).ToListAsync());
    }

    [Fact]
    public async Task ADisabledBackupWritesNothing()
    {
        await using var host = await TestHost.StartAsync(services: collection => collection.PostConfigure<BackupOptions>(options =>
        {
            options.RecipientPublicKey = coordinator.ExportSubjectPublicKeyInfoPem();
            options.ConnectionString = TestStorage.ConnectionString;
            options.Container = containerName;
        }));

        Assert.Null(await host.Get<BackupService>().RunScheduledAsync(CancellationToken.None));
        Assert.False((await Destination.ExistsAsync()).Value);
    }

    [Fact]
    public async Task RestoreFromTheBackupContainerIntoAnEmptyInstanceHasZeroDifferences()
    {
        await using var host = await TestHost.StartAsync(services: Enabled);
        await BackupRestoreTests.SeedAsync(host);
        var backups = host.Get<BackupService>();
        await backups.RunScheduledAsync(CancellationToken.None);
        await BackupRestoreTests.UploadAsync(host, "later.txt", "後で", "text/plain", new() { ["kind"] = "later" });
        var last = (await backups.RunScheduledAsync(CancellationToken.None))!;
        var privateKey = Path.Combine(work, "coordinator.pem");
        await File.WriteAllTextAsync(privateKey, coordinator.ExportPkcs8PrivateKeyPem());
        var target = TestStorage.NewPrefix();

        var (code, output, error) = await RunOpsAsync(target, "restore", "--manifest-signing-key", TestSigningKey.PublicPath, "--from-container-url", Destination.Uri.ToString(), "--private-key", privateKey);

        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches($"^Restored backup {last.BackupId}: [0-9]+ entities and 3 blobs in [0-9.]+s\\.$", BackupRestoreTests.FirstLine(output));
        var source = await BackupRestoreTests.SnapshotAsync(host, host.Prefix);
        Assert.Equal(source, BackupRestoreTests.WithoutTheRestoreRecord(await BackupRestoreTests.SnapshotAsync(host, target)));
        Assert.Equal(3, source.Count(line => line.StartsWith("blob|", StringComparison.Ordinal)));
        Assert.Contains(source, line => line.StartsWith("table|Referrals|", StringComparison.Ordinal)); // a referral closed with no case is restored too
    }

    [Fact]
    public async Task OpsBackupToTheContainerUrlWritesTheSameChainTheAppWrites()
    {
        await using var host = await TestHost.StartAsync(services: Enabled);
        await BackupRestoreTests.SeedAsync(host);
        var first = (await host.Get<BackupService>().RunScheduledAsync(CancellationToken.None))!;
        var publicKey = Path.Combine(work, "coordinator.pub.pem");
        await File.WriteAllTextAsync(publicKey, coordinator.ExportSubjectPublicKeyInfoPem());

        var (code, output, error) = await RunOpsAsync(host.Prefix, "backup", "--signing-key", TestSigningKey.PrivatePath, "--recipient-key", publicKey, "--to-container-url", Destination.Uri.ToString());

        Assert.Equal("", error);
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("2 blobs (0 copied, 2 unchanged since earlier backups)", output, StringComparison.Ordinal);
        var ids = await Destination.GetBlobsAsync().Select(blob => blob.Name.Split('/')[0]).Distinct().ToListAsync();
        Assert.Equal(2, ids.Count);
        Assert.Contains(first.BackupId, ids);
    }

    [Fact]
    public async Task APrivateKeyAsTheRecipientIsRefusedAtStartUp()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(services: collection =>
        {
            Enabled(collection);
            collection.PostConfigure<BackupOptions>(options => options.RecipientPublicKey = coordinator.ExportPkcs8PrivateKeyPem());
        }));

        Assert.Contains("Backup:RecipientPublicKey is a private key. Give the coordinating body's PUBLIC key", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(3651)]
    public async Task ARetentionOutsideSevenToThreeThousandSixHundredFiftyDaysIsRefusedAtStartUp(int days)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(services: collection =>
        {
            Enabled(collection);
            collection.PostConfigure<BackupOptions>(options => options.RetentionDays = days);
        }));

        Assert.Contains(nameof(BackupOptions.RetentionDays), Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AConnectionStringToAnAccountInAzureIsRefusedAtStartUp()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(services: collection =>
        {
            Enabled(collection);
            collection.PostConfigure<BackupOptions>(options => options.ConnectionString =
                "DefaultEndpointsProtocol=https;AccountName=stbackupmidori;AccountKey=" + Convert.ToBase64String(new byte[64]) + ";EndpointSuffix=core.windows.net");
        }));

        Assert.Contains("Backup:ConnectionString may only point at the local emulator (Azurite).", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEnabledBackupWithoutAKeyOrDestinationIsRefusedAtStartUp()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(services: collection =>
            collection.PostConfigure<BackupOptions>(options => options.Enabled = true)));

        Assert.Collection(
            failure.Failures,
            message => Assert.Contains("Backup:Enabled is true but Backup:RecipientPublicKey is not set: give the PEM text of the coordinating body's public key.", message, StringComparison.Ordinal),
            message => Assert.Contains("Backup:Enabled is true but the destination is not set: Backup:ContainerUri in Azure, or Backup:ConnectionString (Azurite) with Backup:Container locally, not both.", message, StringComparison.Ordinal),
            message => Assert.Contains("Backup:Enabled is true but no signing key is set: Backup:SigningKeyUri (a Key Vault EC P-256 key) in Azure, or Backup:SigningKeyPem (a P-256 private key) with Azurite, not both. A restore refuses an unsigned backup.", message, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        coordinator.Dispose();
        Directory.Delete(work, recursive: true);
    }

    private void Enabled(IServiceCollection services)
        => services.PostConfigure<BackupOptions>(options =>
        {
            options.Enabled = true;
            options.RecipientPublicKey = coordinator.ExportSubjectPublicKeyInfoPem();
            options.ConnectionString = TestStorage.ConnectionString;
            options.Container = containerName;
            options.SigningKeyPem = TestSigningKey.PrivatePem;
        });

    private static Task<(int ExitCode, string Output, string Error)> RunOpsAsync(string prefix, params string[] args)
        => OpsTool.RunAsync(prefix, args);

    /// <summary>An audit trail whose every write fails the way storage does.</summary>
    private sealed class UnwritableTrail : IAuditTrail
    {
        public Task<AuditIntent> BeginAsync(AuditActor actor, AuditRequest request, string action, string? caseId, string? entryId, bool breakGlass, CancellationToken cancellationToken, AuditTarget? target = null)
            => throw new Azure.RequestFailedException(503, "The server is busy.");

        public Task CompleteAsync(AuditIntent intent, AuditActor actor, AuditOutcome outcome, IReadOnlyCollection<string> casesTouched, bool breakGlass, CancellationToken cancellationToken, IReadOnlyCollection<string>? entriesTouched = null, AuditTarget? target = null)
            => throw new Azure.RequestFailedException(503, "The server is busy.");

        public Task RecordAsync(AuditActor actor, AuditRequest request, string action, string? caseId, AuditOutcome outcome, CancellationToken cancellationToken, AuditTarget? target = null, string? requestedCaseId = null)
            => throw new Azure.RequestFailedException(503, "The server is busy.");
    }
}

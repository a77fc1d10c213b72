using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Ops;
using Serverless.Storage;

namespace Serverless.Benchmarks;

/// <summary>
/// Recovery time at a town's scale: an audit trail of <c>rows</c> entries (about 110,000 a month at the volume in
/// docs/cost.md), with one index row each, spread over days in the past, backed up by <c>serverless-ops backup</c>,
/// backed up again (the settled days are pointed at, not copied), and restored into an empty instance. Prints wall
/// times, rows a second and the managed heap's peak while backing up and restoring.
/// </summary>
public static class BackupRestoreBenchmark
{
    private const int RowsPerDay = 3_600;

    public static async Task RunAsync(int rows, TextWriter output)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var seeding = Stopwatch.StartNew();
        await SeedAsync(host, rows);
        output.WriteLine($"  seeded {rows:N0} audit entries and {rows:N0} index rows over {rows / RowsPerDay + 1} days in {seeding.Elapsed.TotalSeconds:0} s");

        var work = Directory.CreateTempSubdirectory("serverless-bench-backup-");
        try
        {
            using (var rsa = RSA.Create(3072))
            {
                await File.WriteAllTextAsync(Path.Combine(work.FullName, "coordinator.pem"), rsa.ExportPkcs8PrivateKeyPem());
                await File.WriteAllTextAsync(Path.Combine(work.FullName, "coordinator.pub.pem"), rsa.ExportSubjectPublicKeyInfoPem());
            }

            var backups = Path.Combine(work.FullName, "backups");
            string[] backup = ["backup", "--recipient-key", Path.Combine(work.FullName, "coordinator.pub.pem"), "--to-directory", backups];
            var (first, firstHeap) = await TimeAsync(host.Prefix, backup);
            var (second, secondHeap) = await TimeAsync(host.Prefix, backup);
            var target = "r" + Guid.NewGuid().ToString("N")[..12];
            var (restore, restoreHeap) = await TimeAsync(target, ["restore", "--accept-unsigned-backup", "--from-directory", backups, "--private-key", Path.Combine(work.FullName, "coordinator.pem")]);
            var entities = 2L * rows;

            output.WriteLine($"backup (full):        {first.TotalSeconds,6:0.0} s, {entities / first.TotalSeconds,8:N0} rows/s, managed heap peak {firstHeap / 1_048_576.0:0} MB");
            output.WriteLine($"backup (next day):    {second.TotalSeconds,6:0.0} s  (settled days of the audit log pointed at, not copied), heap peak {secondHeap / 1_048_576.0:0} MB");
            output.WriteLine($"restore (empty instance): {restore.TotalSeconds,6:0.0} s, {entities / restore.TotalSeconds,8:N0} rows/s, managed heap peak {restoreHeap / 1_048_576.0:0} MB");
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>Audit entries as the trail writes them (ids, codes, times), one index row each, in batches per day.</summary>
    private static async Task SeedAsync(BenchmarkHost host, int rows)
    {
        var clients = host.Get<StorageClients>();
        var names = host.Get<StorageNames>();
        var log = clients.Tables.GetTableClient(names.Table(AuditTables.LogTable));
        var byCase = clients.Tables.GetTableClient(names.Table(AuditTables.ByCaseTable));
        var start = DateTimeOffset.UtcNow.AddDays(-(rows / RowsPerDay) - 2);
        var batches = Enumerable.Range(0, (rows + 99) / 100).Select(batch =>
        {
            var entries = new List<TableEntity>();
            var index = new List<TableEntity>();
            for (var i = batch * 100; i < Math.Min(rows, (batch + 1) * 100); i++)
            {
                // Whole batches stay in one day: 36 batches of 100 a day.
                var at = start.AddDays(batch / (RowsPerDay / 100)).AddSeconds(i % RowsPerDay);
                var id = AuditEntryIds.New(at);
                var caseId = "c-" + (i % 100).ToString("D8", CultureInfo.InvariantCulture);
                var entry = new TableEntity(AuditEntryIds.Day(at), id)
                {
                    ["SchemaVersion"] = 1,
                    ["Kind"] = AuditEntryKinds.Outcome,
                    ["IntentId"] = AuditEntryIds.New(at),
                    ["At"] = at,
                    ["ActorKind"] = nameof(AuditActorKind.Person),
                    ["ActorId"] = "p-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)),
                    ["AgencyId"] = "midori-kodomo-ka",
                    ["Role"] = "Member",
                    ["Action"] = AuditActions.CaseRead,
                    ["CaseId"] = caseId,
                    ["Outcome"] = nameof(AuditOutcome.Succeeded),
                    ["BreakGlass"] = false,
                    ["RequestId"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                    ["ClientAddress"] = "203.0.113.7",
                };
                entries.Add(entry);
                index.Add(new TableEntity(caseId, id) { ["Kind"] = AuditEntryKinds.Outcome, ["At"] = at, ["Action"] = AuditActions.CaseRead, ["Outcome"] = nameof(AuditOutcome.Succeeded) });
            }

            return (entries, index);
        });
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, token) =>
        {
            await log.SubmitTransactionAsync(batch.entries.Select(entry => new TableTransactionAction(TableTransactionActionType.Add, entry)), token);
            foreach (var group in batch.index.GroupBy(row => row.PartitionKey))
            {
                await byCase.SubmitTransactionAsync(group.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)), token);
            }
        });
    }

    private static async Task<(TimeSpan Elapsed, long HeapPeak)> TimeAsync(string prefix, string[] args)
    {
        GC.Collect();
        long peak = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(20, CancellationToken.None);
            }
        });
        var output = new StringWriter();
        var error = new StringWriter();
        var watch = Stopwatch.StartNew();
        var code = await OpsApp.RunAsync([.. args, "--connection-string", BenchmarkHost.Storage, "--name-prefix", prefix], output, error);
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;
        if (code != 0)
        {
            throw new InvalidOperationException($"serverless-ops {args[0]} failed ({code}): {error}");
        }

        return (watch.Elapsed, peak);
    }
}

using Serverless.Benchmarks;

// Figures, not pass/fail: run with `dotnet run --project tools/Dev -- bench` (a throwaway Azurite), or
// `dotnet run -c Release --project tests/Serverless.Benchmarks -- [cases] [audit rows] [closed referrals] [only] [load seconds]`
// with SERVERLESS_TEST_STORAGE set. `only` runs one benchmark alone: create-read, entries, notification-fan-out, list-page,
// ledger-page (2,000 cases), backup-restore, referral-list, stats, files or load (`dotnet run --project tools/Dev -- bench --only referral-list --closed-referrals 10000`,
// `... bench --only load --load-seconds 20`); all by default. The exit code is 1 when the load run had errors or its count is off.
var large = args.Length > 0 && int.TryParse(args[0], out var requested) ? requested : 10_000;
var auditRows = args.Length > 1 && int.TryParse(args[1], out var requestedRows) ? requestedRows : 110_000;
var closedReferrals = args.Length > 2 && int.TryParse(args[2], out var requestedClosed) ? requestedClosed : 10_000;
var only = args.Length > 3 ? args[3] : "all";
var loadSeconds = args.Length > 4 && int.TryParse(args[4], out var requestedSeconds) && requestedSeconds > 0 ? requestedSeconds : 60;
string[] benchmarks = ["create-read", "entries", "notification-fan-out", "list-page", "ledger-page", "backup-restore", "referral-list", "files", "stats", "load"];
if (only != "all" && !benchmarks.Contains(only))
{
    Console.Error.WriteLine($"No benchmark is called {only}: one of {string.Join(", ", benchmarks)}, or all.");
    return 2;
}

bool Runs(string benchmark) => only == "all" || only == benchmark;
Console.WriteLine($"Benchmarks on {(BenchmarkHost.Storage.Contains("127.0.0.1", StringComparison.Ordinal) || BenchmarkHost.Storage.StartsWith("UseDevelopmentStorage", StringComparison.Ordinal) ? "Azurite" : "storage")}, {Environment.ProcessorCount} cores, {DateTimeOffset.Now:yyyy-MM-dd HH:mm}");
// Create and read first, while the emulator is small; the list benchmark then grows it.
if (Runs("create-read"))
{
    await CreateReadBenchmark.RunAsync(Console.Out);
}

if (Runs("entries"))
{
    await EntryBenchmark.RunAsync(Console.Out);
}

// About two and a half minutes, most of it waiting for the queue listener to back off.
if (Runs("notification-fan-out"))
{
    await NotificationFanOutBenchmark.RunAsync(Console.Out);
}

if (Runs("list-page"))
{
    await ListPageBenchmark.RunAsync(small: 100, large: large, Console.Out);
}

if (Runs("ledger-page"))
{
    await LedgerPageBenchmark.RunAsync(2_000, Console.Out);
}

if (Runs("backup-restore"))
{
    Console.WriteLine($"backup and restore ({auditRows:N0} audit entries: about a month of the town's audit trail):");
    await BackupRestoreBenchmark.RunAsync(auditRows, Console.Out);
}

if (Runs("files"))
{
    await FileBenchmark.RunAsync(Console.Out);
}

if (Runs("stats"))
{
    await StatsBenchmark.RunAsync(Console.Out);
}

// Last: its 10,000 closed referrals would grow the emulator under the figures above.
if (Runs("referral-list"))
{
    await ReferralListBenchmark.RunAsync(closedReferrals, Console.Out);
}

// After the others: its thousands of reports would grow the emulator under their figures (run it alone for its own).
if (Runs("load") && !await LoadBenchmark.RunAsync(TimeSpan.FromSeconds(loadSeconds), Console.Out))
{
    return 1;
}

return 0;

using Serverless.Benchmarks;

// Figures, not pass/fail: run with `dotnet run --project tools/Dev -- bench` (a throwaway Azurite), or
// `dotnet run -c Release --project tests/Serverless.Benchmarks` with SERVERLESS_TEST_STORAGE set.
var large = args.Length > 0 && int.TryParse(args[0], out var requested) ? requested : 10_000;
var auditRows = args.Length > 1 && int.TryParse(args[1], out var requestedRows) ? requestedRows : 110_000;
Console.WriteLine($"Benchmarks on {(BenchmarkHost.Storage.Contains("127.0.0.1", StringComparison.Ordinal) || BenchmarkHost.Storage.StartsWith("UseDevelopmentStorage", StringComparison.Ordinal) ? "Azurite" : "storage")}, {Environment.ProcessorCount} cores, {DateTimeOffset.Now:yyyy-MM-dd HH:mm}");
// Create and read first, while the emulator is small; the list benchmark then grows it.
await CreateReadBenchmark.RunAsync(Console.Out);
await EntryBenchmark.RunAsync(Console.Out);
await ListPageBenchmark.RunAsync(small: 100, large: large, Console.Out);
Console.WriteLine($"backup and restore ({auditRows:N0} audit entries: about a month of the town's audit trail):");
await BackupRestoreBenchmark.RunAsync(auditRows, Console.Out);

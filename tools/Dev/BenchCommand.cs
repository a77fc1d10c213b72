using System.CommandLine;

namespace Serverless.Dev;

/// <summary><c>bench</c>: the benchmarks, in Release, against the throwaway Azurites the tests use. They print figures; nothing passes or fails.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var cases = new Option<int>("--cases")
        {
            Description = "Cases in the large list benchmark (default 10000; seeding takes a few minutes)",
            DefaultValueFactory = _ => 10_000,
        };
        var auditRows = new Option<int>("--audit-rows")
        {
            Description = "Audit entries in the backup and restore benchmark (default 110000, about a month of a town's audit trail)",
            DefaultValueFactory = _ => 110_000,
        };
        var closedReferrals = new Option<int>("--closed-referrals")
        {
            Description = "Closed referrals beside the 10 open ones in the open referral list benchmark (default 10000)",
            DefaultValueFactory = _ => 10_000,
        };
        var only = new Option<string>("--only")
        {
            Description = "Run one benchmark alone: create-read, entries, notification-fan-out, list-page, ledger-page, backup-restore, referral-list, files, stats or load (default: all)",
            DefaultValueFactory = _ => "all",
        };
        only.AcceptOnlyFromAmong("all", "create-read", "entries", "notification-fan-out", "list-page", "ledger-page", "backup-restore", "referral-list", "files", "stats", "load");
        var loadSeconds = new Option<int>("--load-seconds")
        {
            Description = "How long the load benchmark runs its thirty agencies (default 60)",
            DefaultValueFactory = _ => 60,
        };
        loadSeconds.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 3600)
            {
                result.AddError("--load-seconds must be between 1 and 3600.");
            }
        });
        var command = new Command("bench", "Run the benchmarks (list page at 100 and at --cases cases; create and read against bare table operations; backup and restore of --audit-rows audit entries; the open referral list beside 10 and --closed-referrals closed referrals; how soon a report reaches the inboxes of a 30-agency case, warm and idle; thirty agencies submitting and reading at once for --load-seconds).")
        {
            cases,
            auditRows,
            closedReferrals,
            only,
            loadSeconds,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(cases), parseResult.GetValue(auditRows), parseResult.GetValue(closedReferrals), parseResult.GetValue(only)!, parseResult.GetValue(loadSeconds), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int cases, int auditRows, int closedReferrals, string only, int loadSeconds, CancellationToken cancellationToken)
    {
        var repositoryRoot = RepositoryRoot.Find();
        var entryScript = await AzuriteInstallation.EnsureAsync(repositoryRoot, cancellationToken);
        await using var azurites = await TestAzurites.StartAsync(entryScript, repositoryRoot, cancellationToken);
        var benchmarks = ChildProcess.Describe(
            ExternalTools.Dotnet,
            ["run", "-c", "Release", "--project", Path.Combine(repositoryRoot, "tests", "Serverless.Benchmarks"), "--", cases.ToString(System.Globalization.CultureInfo.InvariantCulture), auditRows.ToString(System.Globalization.CultureInfo.InvariantCulture), closedReferrals.ToString(System.Globalization.CultureInfo.InvariantCulture), only, loadSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            repositoryRoot,
            azurites.Environment);
        return await ChildProcess.RunAsync(benchmarks, TimeSpan.FromSeconds(5), cancellationToken);
    }
}

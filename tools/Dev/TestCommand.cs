using System.CommandLine;
using System.Globalization;

namespace Serverless.Dev;

/// <summary>
/// <c>test</c>: every test of the solution against throwaway Azurites (see <see cref="TestAzurites"/>), ending with the line CI reads,
/// <c>N passed, N failed, N skipped</c>, whatever happened before it. It installs what the tests run first
/// (the npm packages, the dotnet tools, and in CI Debian's chromium for the browser tests), so a clean clone needs nothing else.
/// </summary>
internal static class TestCommand
{
    public static Command Create()
    {
        // Hidden: lets this tool itself be tried on a small project while the solution's tests are not there.
        var solution = new Option<FileInfo>("--solution")
        {
            Description = "Solution or project to test (default: Serverless.sln)",
            Hidden = true,
        };

        var command = new Command(
            "test",
            "Run every test against throwaway in-memory Azurites on free ports (one plain, one with OAuth over HTTPS). "
            + "Other arguments (e.g. --filter Name) are passed to dotnet test.")
        {
            solution,
        };
        // Anything this command does not know (after `--` or not) goes to dotnet test.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parseResult, cancellationToken) =>
            RunAsync(parseResult.GetValue(solution), parseResult.UnmatchedTokens, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        FileInfo? solution, IReadOnlyList<string> passThrough, CancellationToken cancellationToken)
    {
        var repositoryRoot = RepositoryRoot.Find();
        var target = solution?.FullName ?? Path.Combine(repositoryRoot, "Serverless.sln");
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);
        var resultsDirectory = Path.Combine(repositoryRoot, "TestResults", stamp);

        // Explanations printed just before the totals, when the counts alone would not tell the story.
        var notes = new List<string>();
        int? testExitCode = null;
        try
        {
            var entryScript = await AzuriteInstallation.EnsureAsync(repositoryRoot, cancellationToken);
            await DotnetTools.RestoreAsync(repositoryRoot, cancellationToken);
            var browser = await ChromiumInstallation.EnsureAsync(repositoryRoot, cancellationToken);
            await using var azurites = await TestAzurites.StartAsync(entryScript, repositoryRoot, cancellationToken);
            Log.Info(azurites.ToString());

            var dotnetTest = ChildProcess.Describe(
                ExternalTools.Dotnet,
                ["test", target, "--logger", "trx;LogFilePrefix=results", "--results-directory", resultsDirectory, .. passThrough],
                repositoryRoot,
                azurites.Environment.Concat(browser).ToDictionary());
            testExitCode = await ChildProcess.RunAsync(dotnetTest, TimeSpan.FromSeconds(5), cancellationToken);

            if (azurites.UnexpectedExit() is { } crash)
            {
                notes.Add(crash);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            notes.Add("Cancelled before the tests finished.");
        }
        catch (DevException ex)
        {
            notes.Add(ex.Message);
        }

        var (totals, exitCode) = Summarize(resultsDirectory, testExitCode, notes);
        foreach (var note in notes)
        {
            Log.Info(note);
        }

        // The last line, plain, for CI.
        Console.Out.WriteLine(totals.ToString());
        return exitCode;
    }

    /// <summary>
    /// Totals from the TRX files. A run that went wrong without a failing test (no results, a build error,
    /// a crashed test host, a cancel) is counted as one failure, so the totals never read green when it is not.
    /// </summary>
    private static (TestTotals Totals, int ExitCode) Summarize(string resultsDirectory, int? testExitCode, List<string> notes)
    {
        var totals = new TestTotals(0, 0, 0);
        var files = TrxResults.FindFiles(resultsDirectory);
        foreach (var file in files)
        {
            try
            {
                totals = totals.Add(TrxResults.Read(file));
            }
            catch (Exception ex) when (ex is DevException or System.Xml.XmlException or IOException)
            {
                notes.Add($"Could not read {file}: {ex.Message} Counting it as 1 failed.");
                totals = totals.Add(new TestTotals(0, 1, 0));
            }
        }

        if (files.Count == 0)
        {
            notes.Add($"No test results (*.trx) were written under {resultsDirectory}: counting the run as 1 failed.");
            totals = totals.Add(new TestTotals(0, 1, 0));
        }
        else if (testExitCode is not 0 && totals.Failed == 0)
        {
            var how = testExitCode is { } code ? $"exited with code {code}" : "did not finish";
            notes.Add($"dotnet test {how} although no test failed (a project that did not build? a crashed test host?): counting it as 1 failed.");
            totals = totals.Add(new TestTotals(0, 1, 0));
        }

        return (totals, totals.Failed > 0 ? 1 : 0);
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using Serverless.Dev;
using Serverless.Testing;

namespace Serverless.Tests.Contracts;

/// <summary>What a tool found wrong with a document: nothing, when it is one a vendor can use.</summary>
internal sealed record ToolVerdict(ToolResult Run, IReadOnlyList<string> Problems)
{
    public override string ToString() => string.Join('\n', Problems.Select(problem => "  " + problem)) + "\n\n" + Run;
}

/// <summary>
/// The public tools a vendor points at the document, at the versions the repository pins: Redocly CLI and
/// openapi-typescript from package.json (installed by <c>npm ci</c>), Kiota from .config/dotnet-tools.json
/// (installed by <c>dotnet tool restore</c>). <c>dotnet run --project tools/Dev -- test</c> installs both first.
/// Each runs offline: update checks and telemetry are switched off.
/// </summary>
internal static partial class VendorTools
{
    private const string DevTest = "`dotnet run --project tools/Dev -- test`";

    private static readonly string NpmInstallHint =
        $"Install the pinned npm packages with `{NpmPackages.InstallCommand}` in {RepositoryPaths.Root} ({DevTest} does it for you).";

    private static readonly string KiotaInstallHint =
        $"Install Kiota (Microsoft.OpenApi.Kiota, pinned in .config/dotnet-tools.json) with `dotnet tool restore` in {RepositoryPaths.Root} ({DevTest} does it for you).";

    /// <summary><c>redocly lint</c> with redocly.yaml (the recommended rules): every error and every warning is a problem.</summary>
    public static async Task<ToolVerdict> LintAsync(string document)
    {
        var run = await NodeAsync(
            "@redocly/cli", "redocly", ["lint", "--config", Path.Combine(RepositoryPaths.Root, "redocly.yaml"), "--format=json", document],
            new Dictionary<string, string> { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" });

        var problems = new List<string>();
        try
        {
            using var report = JsonDocument.Parse(run.StandardOutput);
            problems.AddRange(report.RootElement.GetProperty("problems").EnumerateArray().Select(problem =>
                $"{problem.GetProperty("severity").GetString()} {problem.GetProperty("ruleId").GetString()} at "
                + string.Join(", ", problem.GetProperty("location").EnumerateArray().Select(location => location.GetProperty("pointer").GetString()))
                + ": " + problem.GetProperty("message").GetString()));
            var ignored = report.RootElement.GetProperty("totals").GetProperty("ignored").GetInt32();
            if (ignored > 0)
            {
                problems.Add($"{ignored} problem(s) hidden by an ignore file: turn a rule off only in redocly.yaml, with the reason it cannot apply.");
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            problems.Add($"Redocly did not write its JSON report ({ex.Message}).");
        }

        if (run.ExitCode != 0 && problems.Count == 0)
        {
            problems.Add($"Redocly exited with code {run.ExitCode}.");
        }

        return new ToolVerdict(run, problems);
    }

    /// <summary><c>openapi-typescript</c> to <paramref name="outputFile"/>: a non-zero exit or a ✘ line is a problem.</summary>
    public static async Task<ToolVerdict> TypeScriptAsync(string document, string outputFile)
    {
        var run = await NodeAsync("openapi-typescript", "openapi-typescript", [document, "--output", outputFile], new Dictionary<string, string> { ["NO_COLOR"] = "1" });

        var problems = run.Output.Split('\n').Where(line => line.Contains('✘', StringComparison.Ordinal)).Select(line => line.Trim()).ToList();
        if (run.ExitCode != 0)
        {
            problems.Add($"openapi-typescript exited with code {run.ExitCode}.");
        }
        else if (!File.Exists(outputFile) || new FileInfo(outputFile).Length == 0)
        {
            problems.Add($"openapi-typescript wrote no types to {outputFile}.");
        }

        return new ToolVerdict(run, problems);
    }

    /// <summary>
    /// <c>kiota generate -l CSharp</c> into <paramref name="outputDirectory"/>. Kiota exits 0 even when it logs errors, and reports a
    /// dangling reference only as a warning, so every logged error and warning is a problem, but the one about the server.
    /// </summary>
    public static async Task<ToolVerdict> KiotaAsync(string document, string outputDirectory)
    {
        var version = await KiotaRunAsync(["--version"]);
        if (version.ExitCode != 0)
        {
            Assert.Fail($"Kiota is not installed. {KiotaInstallHint}\n\n{version}");
        }

        var run = await KiotaRunAsync(
            ["generate", "--language", "CSharp", "--openapi", document, "--output", outputDirectory,
             "--class-name", "CaseSharingClient", "--namespace-name", "Vendor.CaseSharing", "--clean-output"]);

        var problems = LogEntries().Matches(run.Output)
            .Select(entry => (Level: entry.Groups["level"].Value, Message: string.Join(' ', entry.Groups["message"].Value.Split('\n').Select(line => line.Trim()))))
            .Where(entry => entry.Level is "fail" or "crit" || (entry.Level == "warn" && !AboutTheRelativeServer(entry.Message)))
            .Select(entry => $"{entry.Level}: {entry.Message}")
            .ToList();
        if (run.ExitCode != 0)
        {
            problems.Add($"Kiota exited with code {run.ExitCode}.");
        }

        return new ToolVerdict(run, problems);
    }

    /// <summary>
    /// The document's server is relative ("/"): each municipality runs its own copy at its own address, which the
    /// vendor sets on the client. Kiota says so as a warning, and that warning is true rather than a fault.
    /// </summary>
    private static bool AboutTheRelativeServer(string message)
        => message.Contains("A servers entry (v3) or host + basePath + schemes properties (v2) was not present", StringComparison.Ordinal)
            || message.Contains("No server url found", StringComparison.Ordinal);

    private static Task<ToolResult> KiotaRunAsync(IReadOnlyList<string> arguments)
        => ToolRun.RunAsync(
            ExternalTools.Dotnet,
            ["tool", "run", "kiota", .. arguments],
            RepositoryPaths.Root,
            new Dictionary<string, string>
            {
                ["KIOTA_OFFLINE_ENABLED"] = "true",
                ["KIOTA_CLI_TELEMETRY_OPTOUT"] = "true",
                ["KIOTA_TUTORIAL_ENABLED"] = "false",
                ["KIOTA_CONSOLE_COLORS_ENABLED"] = "false",
            },
            KiotaInstallHint);

    private static Task<ToolResult> NodeAsync(string package, string command, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var script = NpmPackages.EntryScript(RepositoryPaths.Root, package, command);
        if (script is null)
        {
            Assert.Fail($"{package} is not installed. {NpmInstallHint}");
        }

        return ToolRun.RunAsync(
            ExternalTools.Node, [script, .. arguments], RepositoryPaths.Root, environment, $"Install Node.js 20 and put `node` on PATH. {NpmInstallHint}");
    }

    /// <summary>A line of Kiota's console log (<c>warn: Category[id]</c>) and the indented lines of its message.</summary>
    [GeneratedRegex(@"^(?<level>trce|dbug|info|warn|fail|crit): [^\n]*\n(?<message>(?:[ \t]+[^\n]*(?:\n|$))*)", RegexOptions.Multiline)]
    private static partial Regex LogEntries();
}

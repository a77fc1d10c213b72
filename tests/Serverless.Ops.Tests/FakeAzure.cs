using System.Globalization;

namespace Serverless.Ops.Tests;

/// <summary>
/// A throwaway folder with a fake <c>az</c> (first on PATH), a fake dotnet (named by <c>DOTNET</c>, never
/// put on PATH as <c>dotnet</c>: pwsh's launcher runs the real one) and a fake ops tool (named by
/// <c>SERVERLESS_OPS</c>). Each appends its command line to one log, so a test sees every call in order.
/// </summary>
internal sealed class FakeAzure : IDisposable
{
    public const string ApiBaseUrl = "https://func-midori-abc123.azurewebsites.net/api";
    public const string FunctionAppName = "func-midori-abc123";
    public const string StorageAccountName = "stmidoriabc123";

    // Shaped as `az deployment group create --query properties.outputs -o json` prints it.
    private const string Outputs = """
        {
          "API_BASE_URL": {
            "type": "String",
            "value": "https://func-midori-abc123.azurewebsites.net/api"
          },
          "AZURE_FUNCTION_APP_NAME": {
            "type": "String",
            "value": "func-midori-abc123"
          },
          "AZURE_KEY_VAULT_NAME": {
            "type": "String",
            "value": "kv-midori-abc123"
          },
          "AZURE_LOCATION": {
            "type": "String",
            "value": "japaneast"
          },
          "AZURE_STORAGE_ACCOUNT_NAME": {
            "type": "String",
            "value": "stmidoriabc123"
          }
        }
        """;

    // Prints canned answers per command group; anything else answers {} (and is still logged).
    private const string AzScript = """
        #!/usr/bin/env bash
        printf 'az %s\n' "$*" >> "$FAKE_LOG"
        case "$1 $2 $3" in
            "deployment group create" | "deployment group show")
                cat "$FAKE_DIR/outputs.json" ;;
            "functionapp deployment source")
                # Keep the package the script sent, for the test to open.
                while [ "$#" -gt 0 ]; do
                    if [ "$1" = "--src" ]; then cp "$2" "$FAKE_DIR/published.zip"; fi
                    shift
                done
                echo '{}' ;;
            "deployment group what-if")
                echo "Resource and property changes are indicated with these symbols: + Create" ;;
            "storage container immutability-policy")
                if [ -n "${FAKE_AZ_WORM_FAIL:-}" ]; then
                    echo "ERROR: (ContainerNotFound) The specified container does not exist." >&2
                    exit 3
                fi
                printf '%s\n' "${FAKE_AZ_WORM:-3650	Unlocked}" ;;
            *)
                echo '{}' ;;
        esac
        """;

    // Records the call and, like dotnet publish, writes host.json into the -o folder.
    private const string DotnetScript = """
        #!/usr/bin/env bash
        printf 'dotnet %s\n' "$*" >> "$FAKE_LOG"
        while [ "$#" -gt 0 ]; do
            if [ "$1" = "-o" ]; then
                mkdir -p "$2"
                echo '{ "version": "2.0" }' > "$2/host.json"
                echo 'assembly' > "$2/Serverless.Functions.dll"
            fi
            shift
        done
        """;

    private const string OpsScript = """
        #!/usr/bin/env bash
        printf 'ops %s\n' "$*" >> "$FAKE_LOG"
        if [ "${FAKE_PROBE_EXIT:-0}" != 0 ]; then
            echo "Probe not completed within the timeout." >&2
        fi
        exit "${FAKE_PROBE_EXIT:-0}"
        """;

    public FakeAzure()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("ops-tests-").FullName;
        var bin = System.IO.Path.Combine(Directory, "bin");
        System.IO.Directory.CreateDirectory(bin);
        WriteExecutable(System.IO.Path.Combine(bin, "az"), AzScript);
        DotnetPath = System.IO.Path.Combine(Directory, "fake-dotnet");
        WriteExecutable(DotnetPath, DotnetScript);
        OpsPath = System.IO.Path.Combine(Directory, "fake-serverless-ops");
        WriteExecutable(OpsPath, OpsScript);
        File.WriteAllText(System.IO.Path.Combine(Directory, "outputs.json"), Outputs + "\n");
        LogPath = System.IO.Path.Combine(Directory, "calls.log");
        File.WriteAllText(LogPath, string.Empty);

        Environment = new Dictionary<string, string>
        {
            ["PATH"] = bin + System.IO.Path.PathSeparator + System.Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_LOG"] = LogPath,
            ["FAKE_DIR"] = Directory,
            ["DOTNET"] = DotnetPath,
            ["SERVERLESS_OPS"] = OpsPath,
            ["NO_COLOR"] = "1",
        };
    }

    public string Directory { get; }

    public string LogPath { get; }

    public string DotnetPath { get; }

    public string OpsPath { get; }

    /// <summary>A copy of the package the script handed to <c>config-zip</c>.</summary>
    public string PublishedZip => System.IO.Path.Combine(Directory, "published.zip");

    /// <summary>Environment for the script under test; tests add to it (FAKE_PROBE_EXIT, FAKE_AZ_WORM...).</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>Every recorded call, in order, e.g. <c>az deployment group create --resource-group rg ...</c>.</summary>
    public IReadOnlyList<string> Calls() =>
        File.ReadAllLines(LogPath).Where(line => line.Length > 0).ToList();

    public IReadOnlyList<string> AzCalls() =>
        Calls().Where(line => line.StartsWith("az ", StringComparison.Ordinal)).ToList();

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static void WriteExecutable(string path, string script)
    {
        File.WriteAllText(path, script.ReplaceLineEndings("\n") + "\n");
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(
            path,
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    public static string Describe(IEnumerable<string> calls) =>
        string.Join("\n", calls.Select((call, index) => string.Create(CultureInfo.InvariantCulture, $"  {index + 1}. {call}")));
}

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

    /// <summary>
    /// The vault of prefix <c>midori</c>, named as infra/main.bicep names it:
    /// <c>take('kv-midori-' + uniqueString(...), 24)</c>, a 13-character token.
    /// </summary>
    public const string KeyVaultName = "kv-midori-abc123def4567";

    /// <summary>What <c>az resource show</c> prints for a missing resource (exit code 3, a 404).</summary>
    public const string SecretNotFoundError =
        "ERROR: (ResourceNotFound) The Resource 'Microsoft.KeyVault/vaults/kv-midori-abc123def4567/secrets/case-search-hmac-key' under resource group 'rg-kodomo' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix";

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
            "value": "kv-midori-abc123def4567"
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
    // Every `--parameters @FILE` is copied as it is at call time (the deploy scripts delete their
    // temporary files), with its mode and its folder's mode, into parameter-files/ and listed in
    // parameter-files.log.
    private const string AzScript = """
        #!/usr/bin/env bash
        printf 'az %s\n' "$*" >> "$FAKE_LOG"
        previous=""
        for argument in "$@"; do
            if [ "$previous" = "--parameters" ] && [ "${argument#@}" != "$argument" ]; then
                source="${argument#@}"
                mkdir -p "$FAKE_DIR/parameter-files"
                copy="$FAKE_DIR/parameter-files/$(find "$FAKE_DIR/parameter-files" -type f | wc -l | tr -d ' ').json"
                if [ -f "$source" ]; then
                    cp "$source" "$copy"
                    printf '%s\t%s\t%s\t%s\n' "$source" "$(stat -c %a "$source")" "$(stat -c %a "$(dirname "$source")")" "$copy" >> "$FAKE_DIR/parameter-files.log"
                else
                    printf '%s\tmissing\tmissing\t\n' "$source" >> "$FAKE_DIR/parameter-files.log"
                fi
            fi
            previous="$argument"
        done
        case "$1 $2 $3" in
            "deployment group create")
                if [ -n "${FAKE_AZ_CREATE_FAIL:-}" ]; then
                    echo "ERROR: InvalidTemplateDeployment" >&2
                    exit 1
                fi
                cat "$FAKE_DIR/outputs.json" ;;
            "deployment group show")
                cat "$FAKE_DIR/outputs.json" ;;
            "keyvault list"*)
                # FAKE_AZ_VAULTS: the vault names, one a line (default: none, a first deployment).
                if [ -n "${FAKE_AZ_VAULT_LIST_ERROR:-}" ]; then
                    printf '%s\n' "$FAKE_AZ_VAULT_LIST_ERROR" >&2
                    exit 1
                fi
                if [ -n "${FAKE_AZ_VAULTS:-}" ]; then printf '%s\n' "$FAKE_AZ_VAULTS"; fi ;;
            "resource show"*)
                # FAKE_AZ_SECRET: exists, missing (a 404: exit code 3) or error (FAKE_AZ_SECRET_ERROR,
                # exit code FAKE_AZ_SECRET_EXIT, 1 by default).
                case "${FAKE_AZ_SECRET:-missing}" in
                    exists)
                        echo "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-kodomo/providers/Microsoft.KeyVault/vaults/kv-midori-abc123def4567/secrets/case-search-hmac-key" ;;
                    missing)
                        printf '%s\n' "$FAKE_SECRET_NOT_FOUND" >&2
                        exit 3 ;;
                    *)
                        printf '%s\n' "${FAKE_AZ_SECRET_ERROR:-ERROR: something went wrong}" >&2
                        exit "${FAKE_AZ_SECRET_EXIT:-1}" ;;
                esac ;;
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
            ["FAKE_SECRET_NOT_FOUND"] = SecretNotFoundError,
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

    /// <summary>
    /// Every <c>--parameters @FILE</c> az was given, in order, as it was when az ran: its path, its
    /// mode and its folder's mode (octal, e.g. <c>600</c>; <c>missing</c> when there was no such file)
    /// and its content.
    /// </summary>
    public IReadOnlyList<ParameterFile> ParameterFiles()
    {
        var log = System.IO.Path.Combine(Directory, "parameter-files.log");
        if (!File.Exists(log))
        {
            return [];
        }

        return File.ReadAllLines(log)
            .Where(line => line.Length > 0)
            .Select(line => line.Split('\t'))
            .Select(fields => new ParameterFile(fields[0], fields[1], fields[2], fields[3].Length == 0 ? null : File.ReadAllText(fields[3])))
            .ToList();
    }

    /// <summary>A later deployment: the instance's vault exists and holds the case-search key.</summary>
    public void KeyExists()
    {
        Environment["FAKE_AZ_VAULTS"] = KeyVaultName;
        Environment["FAKE_AZ_SECRET"] = "exists";
    }

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

/// <summary>A parameters file az was handed, as it was at call time.</summary>
internal sealed record ParameterFile(string Path, string Mode, string DirectoryMode, string? Content);

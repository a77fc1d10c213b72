using System.CommandLine;

namespace Serverless.Dev;

/// <summary><c>start</c>: Azurite with data kept in .azurite/, then the local host with demo data, until Ctrl+C.</summary>
internal static class StartCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port")
        {
            Description = "Port of the local host (http://127.0.0.1:PORT)",
            DefaultValueFactory = _ => 7071,
        };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 65535)
            {
                result.AddError("--port must be between 1 and 65535.");
            }
        });

        var command = new Command("start", "Run the app locally: Azurite (data in .azurite/) and the local host with demo data.")
        {
            port,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult.GetValue(port), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(int port, CancellationToken cancellationToken)
    {
        var repositoryRoot = RepositoryRoot.Find();
        var entryScript = await AzuriteInstallation.EnsureAsync(repositoryRoot, cancellationToken);
        var azurite = await StartOrReuseAzuriteAsync(repositoryRoot, entryScript, cancellationToken);
        try
        {
            // The host prints its own URL once it listens; its output is shared with this console.
            var host = ChildProcess.Describe(
                ExternalTools.Dotnet,
                ["run", "--project", Path.Combine(repositoryRoot, "tools", "DevHost"), "--",
                 "--urls", $"http://127.0.0.1:{port}", "--seed-demo-data"],
                repositoryRoot,
                new Dictionary<string, string> { ["Storage__ConnectionString"] = "UseDevelopmentStorage=true" });
            var exitCode = await ChildProcess.RunAsync(host, TimeSpan.FromSeconds(10), cancellationToken);
            Log.Info($"The local host exited with code {exitCode}.");
            return exitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.Info("Stopped.");
            return 130;
        }
        finally
        {
            if (azurite is not null)
            {
                await azurite.StopAsync(alreadySignalled: cancellationToken.IsCancellationRequested);
            }
        }
    }

    /// <summary>Starts Azurite, or returns null to use one that already runs (which this tool then leaves running).</summary>
    private static async Task<AzuriteServer?> StartOrReuseAzuriteAsync(
        string repositoryRoot, string entryScript, CancellationToken cancellationToken)
    {
        var ports = AzuritePorts.Default;
        var listening = await TcpPorts.ListeningAsync(ports.All, cancellationToken);
        if (listening.Length == ports.All.Count)
        {
            Log.Info($"Azurite already runs on {ports}: using it, and leaving it running afterwards.");
            return null;
        }

        if (listening.Length > 0)
        {
            // Starting Azurite would fail on the taken ports; say which ones instead.
            var free = ports.All.Except(listening);
            throw new DevException(
                $"Only some of Azurite's ports are taken (in use: {string.Join(", ", listening)}; free: {string.Join(", ", free)}), "
                + "so something other than Azurite holds them. Stop it and run again.");
        }

        var dataDirectory = Path.Combine(repositoryRoot, ".azurite");
        Log.Info($"Starting Azurite on {ports}, data in {dataDirectory}...");
        var azurite = await AzuriteServer.StartPersistentAsync(entryScript, dataDirectory, repositoryRoot, cancellationToken);
        Log.Info("Azurite is ready (UseDevelopmentStorage=true).");
        return azurite;
    }
}

using System.Diagnostics;

namespace Serverless.Dev;

/// <summary>An Azurite process started by this tool; disposing it stops it.</summary>
internal sealed class AzuriteServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private const int RememberedOutputLines = 40;

    private readonly Process _process;
    private readonly string? _dataDirectory;
    private readonly Queue<string> _recentOutput = new();
    private bool _stopped;

    private AzuriteServer(Process process, AzuritePorts ports, string? dataDirectory, bool oauthOverHttps)
    {
        _process = process;
        Ports = ports;
        _dataDirectory = dataDirectory;
        OAuthOverHttps = oauthOverHttps;
    }

    public AzuritePorts Ports { get; }

    /// <summary>Serves HTTPS and accepts OAuth bearer tokens (<c>--oauth basic</c>) besides the account key and SAS.</summary>
    public bool OAuthOverHttps { get; }

    /// <summary>The blob service of the emulator's account, e.g. <c>https://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint => Ports.BlobEndpoint(OAuthOverHttps ? "https" : "http");

    private string Name => DisplayName(OAuthOverHttps);

    /// <summary>Azurite on the default ports, keeping its data in <paramref name="dataDirectory"/> between runs.</summary>
    public static Task<AzuriteServer> StartPersistentAsync(
        string entryScript, string dataDirectory, string workingDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dataDirectory);
        return StartAsync(entryScript, AzuritePorts.Default, dataDirectory, echo: true, oauthCertificate: null, workingDirectory, cancellationToken);
    }

    /// <summary>
    /// Azurite in memory on free ports: nothing to clean up, no clash with a developer's own Azurite. With
    /// <paramref name="oauthCertificate"/> it serves HTTPS with that certificate and accepts bearer tokens, whose
    /// signature it does not check (<c>--oauth basic</c>): user delegation keys are only given to bearer-token callers.
    /// </summary>
    public static async Task<AzuriteServer> StartThrowawayAsync(
        string entryScript, string workingDirectory, AzuriteCertificate? oauthCertificate, CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(
                    entryScript, AzuritePorts.FindFree(), dataDirectory: null, echo: false, oauthCertificate, workingDirectory, cancellationToken);
            }
            catch (AzuriteExitedException) when (attempt < attempts)
            {
                // Most likely another process took one of the chosen ports in the meantime: choose again.
                Log.Info($"{DisplayName(oauthCertificate is not null)} exited while starting; retrying on other ports.");
            }
        }
    }

    private static async Task<AzuriteServer> StartAsync(
        string entryScript, AzuritePorts ports, string? dataDirectory, bool echo, AzuriteCertificate? oauthCertificate,
        string workingDirectory, CancellationToken cancellationToken)
    {
        // Loopback only, no telemetry (it would call an outside endpoint), any API version the SDKs send.
        List<string> arguments =
        [
            entryScript, "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", $"{ports.Blob}",
            "--queueHost", "127.0.0.1", "--queuePort", $"{ports.Queue}",
            "--tableHost", "127.0.0.1", "--tablePort", $"{ports.Table}",
        ];
        arguments.AddRange(dataDirectory is null ? ["--inMemoryPersistence"] : ["--location", dataDirectory]);
        if (oauthCertificate is not null)
        {
            // A PEM certificate and key switch every service to HTTPS; Azurite refuses bearer tokens over HTTP.
            arguments.AddRange(["--oauth", "basic", "--cert", oauthCertificate.CertificatePath, "--key", oauthCertificate.KeyPath]);
        }

        var info = ChildProcess.Describe(ExternalTools.Node, arguments, workingDirectory);
        // Its output is kept rather than shared: it explains a failed start, and stays out of test output.
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;

        var server = new AzuriteServer(ChildProcess.Start(info), ports, dataDirectory, oauthCertificate is not null);
        server._process.OutputDataReceived += (_, e) => server.Remember(e.Data, echo);
        server._process.ErrorDataReceived += (_, e) => server.Remember(e.Data, echo);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();

        try
        {
            await server.WaitUntilListeningAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static string DisplayName(bool oauthOverHttps) => oauthOverHttps ? "Azurite (OAuth, HTTPS)" : "Azurite";

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var listening = await TcpPorts.ListeningAsync(Ports.All, cancellationToken);
            if (listening.Length == Ports.All.Count)
            {
                return;
            }

            if (_process.HasExited)
            {
                // Also waits for the end of its output, which the message quotes.
                await _process.WaitForExitAsync(cancellationToken);
                throw new AzuriteExitedException(
                    $"{Name} exited with code {_process.ExitCode} before listening on {Ports}.{RecentOutput()}");
            }

            if (clock.Elapsed > StartTimeout)
            {
                throw new DevException(
                    $"{Name} did not accept connections on {Ports} within {StartTimeout.TotalSeconds:0} s.{RecentOutput()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    /// <summary>
    /// Stops Azurite. <paramref name="alreadySignalled"/>: Ctrl+C reached it too, so it is already saving and closing;
    /// a second signal would make it fail half-way, so it is only given time.
    /// </summary>
    public async Task StopAsync(bool alreadySignalled)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (!_process.HasExited && _dataDirectory is not null)
        {
            // Persistent data: let Azurite save its databases (it saves on SIGTERM) before it is killed.
            var exitedOnItsOwn = alreadySignalled && await ChildProcess.WaitForExitAsync(_process, TimeSpan.FromSeconds(3));
            var asked = !exitedOnItsOwn && await AskToExitAsync();
            await ChildProcess.StopAsync(_process, asked ? TimeSpan.FromSeconds(5) : TimeSpan.Zero);
        }
        else
        {
            // In memory: nothing to save.
            await ChildProcess.StopAsync(_process, TimeSpan.Zero);
        }

        _process.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync(alreadySignalled: false));

    /// <summary>Whether Azurite stopped on its own (a crash) while it was still needed.</summary>
    public string? UnexpectedExit() =>
        _process.HasExited ? $"{Name} exited with code {_process.ExitCode} while running.{RecentOutput()}" : null;

    /// <summary>Sends SIGTERM, which Azurite handles by saving and closing. Returns whether it could be sent.</summary>
    private async Task<bool> AskToExitAsync()
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows has no SIGTERM for console processes: Azurite is killed, and may lose
            // the last few seconds of metadata (it autosaves every 5 s).
            return false;
        }

        var kill = ChildProcess.Describe("kill", ["-TERM", $"{_process.Id}"], Environment.CurrentDirectory);
        try
        {
            return await ChildProcess.RunAsync(kill, TimeSpan.Zero, CancellationToken.None) == 0;
        }
        catch (DevException)
        {
            // No kill command: the process is killed instead.
            return false;
        }
    }

    private void Remember(string? line, bool echo)
    {
        if (line is null)
        {
            return;
        }

        if (echo)
        {
            Console.Out.WriteLine($"azurite: {line}");
        }

        lock (_recentOutput)
        {
            _recentOutput.Enqueue(line);
            if (_recentOutput.Count > RememberedOutputLines)
            {
                _recentOutput.Dequeue();
            }
        }
    }

    private string RecentOutput()
    {
        lock (_recentOutput)
        {
            return _recentOutput.Count == 0
                ? " It printed nothing."
                : $" Its last output:{Environment.NewLine}{string.Join(Environment.NewLine, _recentOutput)}";
        }
    }

    /// <summary>Azurite ended before it listened (typically a port taken in the meantime): worth another try.</summary>
    private sealed class AzuriteExitedException(string message) : DevException(message);
}

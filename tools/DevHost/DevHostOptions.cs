namespace Serverless.DevHost;

/// <summary>How a caller (the command line, a test) wants the local host built.</summary>
public sealed class DevHostOptions
{
    /// <summary>Where host.json is read from; by default the copy in this program's output folder.</summary>
    public string HostJsonPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "host.json");

    /// <summary>Adjusts host.json settings after loading (tests shorten retry delays).</summary>
    public Action<HostSettings>? ConfigureHostSettings { get; set; }

    /// <summary>Replaces or adds services after the app's own registration (tests inject a fake clock, a log capture).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; set; }

    /// <summary>Run queue listeners and timers. Tests of HTTP behaviour alone can turn them off.</summary>
    public bool RunBackgroundTriggers { get; set; } = true;

    /// <summary>Run the timers along with the queue listeners (when <see cref="RunBackgroundTriggers"/> is on).</summary>
    public bool RunTimers { get; set; } = true;

    public bool SeedDemoData { get; set; }
}

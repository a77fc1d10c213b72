namespace Serverless.DevHost;

/// <summary>
/// Settings of the local host itself (not of the app), for a test that runs it as a child process and cannot reach
/// <see cref="DevHostOptions"/>. Each is optional; unset, host.json's value (or the documented default) stays.
/// <list type="bullet">
/// <item><c>LocalHost:ProcessingLease</c>: how long a message being processed stays hidden (a TimeSpan, e.g.
/// <c>00:00:02</c>), so a killed host's message comes back in seconds, not 10 minutes.</item>
/// <item><c>LocalHost:MaxPollingInterval</c> and <c>LocalHost:VisibilityTimeout</c>: host.json's queue timings.</item>
/// <item><c>LocalHost:Timers</c>: <c>false</c> runs the queue listeners without the timers, so only a queue's work
/// touches storage.</item>
/// </list>
/// </summary>
public static class LocalHostSettings
{
    public const string ProcessingLease = "LocalHost:ProcessingLease";

    public const string MaxPollingInterval = "LocalHost:MaxPollingInterval";

    public const string VisibilityTimeout = "LocalHost:VisibilityTimeout";

    public const string Timers = "LocalHost:Timers";

    public static void Apply(IConfiguration configuration, HostSettings settings, DevHostOptions options)
    {
        settings.ProcessingLease = ReadTimeSpan(configuration, ProcessingLease) ?? settings.ProcessingLease;
        settings.MaxPollingInterval = ReadTimeSpan(configuration, MaxPollingInterval) ?? settings.MaxPollingInterval;
        settings.VisibilityTimeout = ReadTimeSpan(configuration, VisibilityTimeout) ?? settings.VisibilityTimeout;
        if (configuration[Timers] is { Length: > 0 } timers)
        {
            options.RunTimers = bool.Parse(timers);
        }
    }

    private static TimeSpan? ReadTimeSpan(IConfiguration configuration, string key)
        => configuration[key] is { Length: > 0 } value ? TimeSpan.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

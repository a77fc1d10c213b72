using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Health;
using Serverless.Time;

namespace Serverless.Ops.Health;

/// <summary>
/// <c>probe [--timeout SECONDS]</c>: a queue round trip through the running app. Sends a probe to the
/// <c>health-probes</c> queue and waits for the HealthProbe function to record it: exit 0 when it
/// did, 1 when it did not in time (ops <c>verify</c> runs this after a deploy).
/// </summary>
internal static class ProbeCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create(StorageConnection connection, TextWriter output, TextWriter error)
    {
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for the app to complete the probe.",
            DefaultValueFactory = _ => 60,
        };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--timeout must be at least 1 second.");
            }
        });
        var command = new Command("probe", "Send a health probe through the app's queue and wait until its function completes it.")
        {
            timeout,
        };
        command.Validators.Add(connection.Validate);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = connection.BuildServices(parseResult);
            var probes = services.GetRequiredService<HealthProbeService>();
            var wait = TimeSpan.FromSeconds(parseResult.GetValue(timeout));

            var probeId = HealthProbeService.NewProbeId();
            var watch = Stopwatch.StartNew();
            await probes.SendAsync(probeId, cancellationToken);
            await output.WriteLineAsync($"Probe {probeId} sent; waiting up to {wait.TotalSeconds:0}s for the HealthProbe function.");

            while (true)
            {
                if (await probes.CompletedAtAsync(probeId, cancellationToken) is { } completedAt)
                {
                    var at = JapanTime.ToJapan(completedAt).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
                    await output.WriteLineAsync($"Probe {probeId} completed at {at} (JST), {watch.Elapsed.TotalSeconds:0.0}s after sending.");
                    return ExitCodes.Ok;
                }

                var left = wait - watch.Elapsed;
                if (left <= TimeSpan.Zero)
                {
                    await error.WriteLineAsync(
                        $"Probe {probeId} was not completed within {wait.TotalSeconds:0}s: is the app running, and its HealthProbe function listening? (See dead-letters list if it failed.)");
                    return ExitCodes.Failure;
                }

                await Task.Delay(left < PollInterval ? left : PollInterval, cancellationToken);
            }
        });
        return command;
    }
}

using Azure.Identity;
using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.ApplicationInsights.WorkerService;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Functions.Telemetry;

/// <summary>
/// Application Insights for the worker, only when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (Bicep sets it;
/// locally and in tests it is not, unless a test asks): failures, dependencies (storage latency) and warning-level
/// logs, every item through <see cref="IdsOnlyTelemetry"/>. Live Metrics is off: its processor sees items before any
/// other, so it would show what this one removes.
/// </summary>
public static class TelemetryRegistration
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>As Bicep writes it: <c>ClientId={user-assigned identity};Authorization=AAD</c> (the resource refuses keys).</summary>
    public const string AuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static bool IsConfigured(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]);

    public static IServiceCollection AddIdsOnlyTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        if (!IsConfigured(configuration))
        {
            return services;
        }

        services.AddApplicationInsightsTelemetryWorkerService(new ApplicationInsightsServiceOptions
        {
            ConnectionString = configuration[ConnectionStringSetting],
            EnableQuickPulseMetricStream = false,
        });
        services.AddApplicationInsightsTelemetryProcessor<IdsOnlyTelemetry>();
        if (ManagedIdentityClientId(configuration[AuthenticationSetting]) is { } clientId)
        {
            services.Configure<TelemetryConfiguration>(telemetry => telemetry.SetAzureTokenCredential(new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))));
        }

        return services;
    }

    private static string? ManagedIdentityClientId(string? authentication)
    {
        var parts = (authentication ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("Authorization", out var kind) && kind.Equals("AAD", StringComparison.OrdinalIgnoreCase) && parts.TryGetValue("ClientId", out var id) && id.Length > 0 ? id : null;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Backup;

/// <summary>The app's own encrypted backup (called by <c>AddServerlessCore</c>).</summary>
public static class BackupRegistration
{
    public static IServiceCollection AddBackup(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackupOptions>()
            .Bind(configuration.GetSection("Backup"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<BackupService>();
        services.AddSingleton<BackupKeyWatch>();
        services.AddHostedService(provider => provider.GetRequiredService<BackupKeyWatch>());
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;

namespace Serverless.Audit;

/// <summary>The audit trail's services, tables and WORM container (called by <c>AddServerlessCore</c>).</summary>
public static class AuditRegistration
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>()
            .Bind(configuration.GetSection("Audit"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(AuditTables.LogTable);
            resources.Tables.Add(AuditTables.ByCaseTable);
            resources.Tables.Add(AuditTables.SealTable);
            resources.Containers.Add(AuditTables.SealContainer);
        });
        services.AddSingleton<AuditTables>();
        services.AddSingleton<AuditTrail>();
        services.AddSingleton<IAuditTrail>(provider => provider.GetRequiredService<AuditTrail>());
        services.AddSingleton<AuditIndexer>();
        services.AddSingleton<AuditSealer>();
        services.AddSingleton<AuditVerifier>();
        services.AddSingleton<AuditQuery>();
        services.AddSingleton<AuditReader>();
        services.AddSingleton<AuditRestoreCompletion>();
        return services;
    }
}

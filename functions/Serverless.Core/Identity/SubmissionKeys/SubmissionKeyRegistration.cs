using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;

namespace Serverless.Identity.SubmissionKeys;

public static class SubmissionKeyRegistration
{
    /// <summary>The <c>SubmissionKeys</c> table, <see cref="SubmissionKeyOptions"/> from <c>SubmissionKeys</c>,
    /// the store, the service and the (per-instance) throttle.</summary>
    public static IServiceCollection AddSubmissionKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SubmissionKeyOptions>()
            .Bind(configuration.GetSection(SubmissionKeyOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<StorageResources>(resources => resources.Tables.Add(SubmissionKeyStore.TableName));
        services.AddSingleton<SubmissionKeyStore>();
        services.AddSingleton<SubmissionKeyService>();
        services.AddSingleton<FailedAttemptThrottle>();
        return services;
    }
}

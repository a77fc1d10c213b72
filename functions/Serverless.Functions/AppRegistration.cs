using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Functions.Http;
using Serverless.Functions.Identity;
using Serverless.Functions.Telemetry;
using Serverless.Functions.Web;
using Serverless.Identity.Tokens;

namespace Serverless.Functions;

/// <summary>Everything the functions need: the core services plus the HTTP plumbing they call first.
/// Program.cs and the local host both call this, so they run the same code.</summary>
public static class AppRegistration
{
    public static IServiceCollection AddServerlessApp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddServerlessCore(configuration);
        services.AddBearerTokens(configuration);
        services.AddSingleton<CallerAuthentication>();
        services.AddSingleton<HttpEndpoint>();
        services.AddIdsOnlyTelemetry(configuration);
        services.AddWebApp();
        return services;
    }
}

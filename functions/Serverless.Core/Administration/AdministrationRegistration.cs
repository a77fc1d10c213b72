using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Administration;

public static class AdministrationRegistration
{
    /// <summary><see cref="AdministrationOptions"/> from <c>Administration</c> (validated at start-up), the network
    /// policy of the admin API and <see cref="AdministrationService"/>.</summary>
    public static IServiceCollection AddAdministration(this IServiceCollection services, IConfiguration configuration)
    {
        // Read by hand rather than bound: an app setting holds one comma-separated string, an appsettings.json
        // may hold an array, and the binder cannot put an array into the string property.
        var list = configuration.GetSection(AdministrationOptions.Section).GetSection(nameof(AdministrationOptions.AllowedNetworks));
        services.AddOptions<AdministrationOptions>()
            .Configure(options => options.AllowedNetworks = list.Value ?? string.Join(',', list.GetChildren().Select(child => child.Value)))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AdminNetworkPolicy>();
        services.AddSingleton<AdministrationService>();
        return services;
    }
}

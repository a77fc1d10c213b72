using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Identity.ClientAddresses;

public static class ClientAddressRegistration
{
    /// <summary>Binds <see cref="NetworkOptions"/> from <c>Network</c> and registers <see cref="ClientAddressResolver"/>.</summary>
    public static IServiceCollection AddClientAddresses(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NetworkOptions>()
            .Bind(configuration.GetSection(NetworkOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ClientAddressResolver>();
        return services;
    }
}

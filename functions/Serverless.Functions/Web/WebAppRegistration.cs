using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Functions.Web;

public static class WebAppRegistration
{
    public static IServiceCollection AddWebApp(this IServiceCollection services)
    {
        services.AddOptions<WebAppOptions>().BindConfiguration(WebAppOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebAssets>();
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Serverless.Functions.Web;

public static class WebAppRegistration
{
    public static IServiceCollection AddWebApp(this IServiceCollection services)
    {
        services.AddOptions<WebAppOptions>().BindConfiguration(WebAppOptions.Section).ValidateDataAnnotations()
            .Validate(
                options => options.Entra.Authorities.All(item => item.DisplayName.Trim().Length > 0
                    && Uri.TryCreate(item.Authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
                    && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0),
                "WebApp:Entra:Authorities: every entry needs an https Authority (no query) and a DisplayName.")
            .ValidateOnStart();
        services.AddSingleton<WebAssets>();
        return services;
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Serverless.Identity.Tokens;

/// <summary>Bearer-token validation: the configured OpenID Connect issuers and the development issuer.</summary>
public static class TokenRegistration
{
    public static IServiceCollection AddBearerTokens(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<EntraAuthorityOptions>().Bind(configuration.GetSection("Authentication"));
        services.AddOptions<TokenIssuersOptions>().Bind(configuration.GetSection(TokenIssuersOptions.Section)).ValidateOnStart();
        services.AddOptions<DevelopmentTokenOptions>().Bind(configuration.GetSection(DevelopmentTokenOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TokenIssuersOptions>, TokenOptionsValidation>();
        services.AddSingleton<IValidateOptions<DevelopmentTokenOptions>, TokenOptionsValidation>();
        services.AddSingleton<BearerTokenValidator>();
        return services;
    }
}

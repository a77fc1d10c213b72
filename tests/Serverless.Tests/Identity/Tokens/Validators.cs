using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Identity.Tokens;
using Serverless.Storage;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Identity.Tokens;

/// <summary>Builds a validator as the app registers it, from options in the test.</summary>
internal static class Validators
{
    public static readonly StorageOptions Emulator = new() { ConnectionString = "UseDevelopmentStorage=true" };

    public static DevelopmentTokenOptions DevelopmentEnabled => new()
    {
        Enabled = true,
        SigningKey = Serverless.DevHost.DevelopmentSecrets.TokenSigningKey,
    };

    public static BearerTokenValidator Create(
        TimeProvider clock,
        TokenIssuersOptions? issuers = null,
        DevelopmentTokenOptions? development = null,
        StorageOptions? storage = null,
        LogCapture? logs = null)
    {
        // Not disposed: the validator keeps logging through it for the whole test.
        var factory = LoggerFactory.Create(builder =>
        {
            if (logs is not null)
            {
                builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
            }
        });
        return new BearerTokenValidator(
            Options.Create(issuers ?? []),
            Options.Create(development ?? new DevelopmentTokenOptions()),
            Options.Create(storage ?? Emulator),
            clock,
            factory.CreateLogger<BearerTokenValidator>());
    }
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Serverless.Identity;
using Serverless.Storage;

namespace Serverless.Functions.Identity;

/// <summary>
/// Establishes who is calling, inside each function's own code path. Today it knows only the
/// development scheme; the identity feature adds OpenID Connect tokens and submission keys here.
/// No caller means 401: nothing about a case is answered to an unknown caller.
/// </summary>
public sealed class CallerAuthentication(IOptions<DevelopmentAuthenticationOptions> development, IOptions<StorageOptions> storage)
{
    public const string DevelopmentScheme = "Development";

    public Caller? Authenticate(HttpRequest request)
    {
        var settings = development.Value;
        var header = request.Headers.Authorization.ToString();
        if (!settings.Enabled || !IsEmulator() || !header.StartsWith(DevelopmentScheme + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var personId = header[(DevelopmentScheme.Length + 1)..].Trim();
        return settings.People.TryGetValue(personId, out var person)
            ? new Caller(personId, person.AgencyId, person.Role)
            : null;
    }

    // Checked on every call as well as at start-up: development sign-in never works against real storage.
    private bool IsEmulator()
        => storage.Value.ConnectionString is { Length: > 0 } connection && StorageOptions.IsEmulator(connection);
}

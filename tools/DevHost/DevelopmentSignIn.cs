using Microsoft.Extensions.Options;
using Serverless.Identity.Tokens;
using Serverless.Storage;

namespace Serverless.DevHost;

/// <summary>
/// The web app's sign-in on the local host: <c>GET /dev/sign-in/people</c> lists the demo people and
/// <c>POST /dev/sign-in/token</c> with <c>{"subject": "teacher-tanaka"}</c> mints a development token for one of them
/// (signed with the public development key, as <c>tools/Dev token</c> does). These routes belong to this host only, never
/// to the function app (a test proves its catalogue has none), and are mapped only over Azurite with the development
/// issuer on: anything else answers 404 from the catch-all. The page (Web/web/signin/development.js) calls them when
/// index.html says <c>sign-in: development</c>, which only this host sets.
/// </summary>
public static class DevelopmentSignIn
{
    public const string PeopleRoute = "/dev/sign-in/people";
    public const string TokenRoute = "/dev/sign-in/token";

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>Whether this host may mint tokens: storage is the local emulator and the development issuer is on.</summary>
    public static bool IsAllowed(IServiceProvider services)
    {
        var storage = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var development = services.GetRequiredService<IOptions<DevelopmentTokenOptions>>().Value;
        return development.Enabled
            && !string.IsNullOrWhiteSpace(storage.ConnectionString)
            && StorageOptions.IsEmulator(storage.ConnectionString);
    }

    public static void Map(WebApplication app)
    {
        if (!IsAllowed(app.Services))
        {
            return;
        }

        app.MapGet(PeopleRoute, (HttpContext context) =>
        {
            NoStore(context);
            return Results.Json(new
            {
                people = DemoPeople.People.Select(person => new
                {
                    subject = person.Subject,
                    displayName = person.DisplayName,
                    description = person.Description,
                    role = person.Role.ToString(),
                    agencyId = person.AgencyId,
                }),
            });
        }).WithName("DevelopmentSignInPeople");

        app.MapPost(TokenRoute, async (HttpContext context, TimeProvider clock) =>
        {
            NoStore(context);
            var body = await context.Request.ReadFromJsonAsync<TokenRequest>(context.RequestAborted);
            var person = DemoPeople.People.FirstOrDefault(candidate => candidate.Subject == body?.Subject);
            if (person is null)
            {
                return Results.Problem(statusCode: 400, title: "デモの利用者ではありません", detail: "subject must be one of the demo people (GET " + PeopleRoute + ").");
            }

            var token = DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, person.Subject, Lifetime, clock);
            return Results.Json(new { accessToken = token, expiresIn = (int)Lifetime.TotalSeconds, displayName = person.DisplayName });
        }).WithName("DevelopmentSignInToken");
    }

    private static void NoStore(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
    }

    private sealed record TokenRequest(string? Subject);
}

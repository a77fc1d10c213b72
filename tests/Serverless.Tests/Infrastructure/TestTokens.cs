using Serverless.DevHost;
using Serverless.Identity.Tokens;

namespace Serverless.Tests.Infrastructure;

/// <summary>Bearer tokens of the development issuer for the demo people, valid for an hour from the
/// host's clock (a fake clock included), exactly as <c>tools/Dev token</c> prints them.</summary>
public static class TestTokens
{
    public static string Bearer(string subject, TimeProvider? clock = null)
        => "Bearer " + DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, subject, TimeSpan.FromHours(1), clock ?? TimeProvider.System);

    public static string Bearer(TestHost host, string subject) => Bearer(subject, host.Get<TimeProvider>());
}

using System.CommandLine;
using Microsoft.Extensions.Time.Testing;
using Serverless.Dev;
using Serverless.Identity.Tokens;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Identity.Tokens;

/// <summary>
/// <c>dotnet run --project tools/Dev -- token &lt;subject&gt;</c>, run in-process (its source is compiled into this
/// project): what it prints is a token the local host, with its default settings, accepts.
/// </summary>
public sealed class TokenCommandTests
{
    [Fact]
    public async Task PrintsOnlyATokenThatTheLocalHostAcceptsForThatDemoPerson()
    {
        await using var host = await TestHost.StartAsync(backgroundTriggers: false);

        var (exitCode, output) = Run(TimeProvider.System, "token", "coordinator-sato");

        Assert.Equal(0, exitCode);
        var token = output.TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', token);
        var outcome = await host.Get<BearerTokenValidator>().ValidateAsync(token, CancellationToken.None);
        Assert.Equal(new TokenIdentity(DevelopmentTokens.IssuerName, DevelopmentTokens.DefaultIssuer, "coordinator-sato", null), outcome.Identity);
    }

    [Fact]
    public async Task MinutesSetsTheLifetime()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 4, 1, 9, 0, 0, TimeSpan.Zero));
        var validator = Validators.Create(clock, development: Validators.DevelopmentEnabled);

        var (_, output) = Run(clock, "token", "teacher-tanaka", "--minutes", "5");
        var token = output.Trim();
        Assert.Equal("teacher-tanaka", (await validator.ValidateAsync(token, CancellationToken.None)).Identity?.Subject);

        clock.Advance(TimeSpan.FromMinutes(5) + BearerTokenValidator.ClockSkew + TimeSpan.FromSeconds(1));
        Assert.Equal(TokenFailure.Expired, (await validator.ValidateAsync(token, CancellationToken.None)).Failure);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("token", "coordinator-sato", "--minutes", "0")]
    public void WithoutASubjectOrWithAWrongLifetimeItPrintsNoToken(params string[] args)
    {
        var (exitCode, output) = Run(TimeProvider.System, args);

        Assert.NotEqual(0, exitCode);
        Assert.DoesNotContain("eyJ", output, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Run(TimeProvider clock, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = new RootCommand { TokenCommand.Create(clock) }
            .Parse(args)
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString());
    }
}

using System.CommandLine;
using Serverless.DevHost;
using Serverless.Identity.Tokens;

namespace Serverless.Dev;

/// <summary>
/// <c>token &lt;subject&gt; [--minutes 60]</c>: prints a development bearer token for a demo person, signed with the
/// public development key the local host accepts (only over Azurite). Prints the token alone, so that
/// <c>curl -H "Authorization: Bearer $(dotnet run --project tools/Dev -- token coordinator-sato)"</c> works.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(TimeProvider? clock = null)
    {
        var subject = new Argument<string>("subject")
        {
            Description = "Who the token is for (its sub): a demo person id such as coordinator-sato",
        };
        var minutes = new Option<int>("--minutes")
        {
            Description = "How long the token is valid, in minutes (default 60)",
            DefaultValueFactory = _ => 60,
        };
        minutes.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 24 * 60)
            {
                result.AddError("--minutes must be between 1 and 1440.");
            }
        });

        var command = new Command("token", "Print a development bearer token for a subject (local host and tests only; the key is public).")
        {
            subject,
            minutes,
        };
        command.SetAction(parseResult =>
        {
            var token = DevelopmentTokens.Create(
                DevelopmentSecrets.TokenSigningKey,
                parseResult.GetRequiredValue(subject),
                TimeSpan.FromMinutes(parseResult.GetValue(minutes)),
                clock ?? TimeProvider.System);
            parseResult.InvocationConfiguration.Output.WriteLine(token);
            return 0;
        });
        return command;
    }
}

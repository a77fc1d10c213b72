using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Identity.People;

/// <summary>
/// Registers the first admin and coordinator named in <see cref="FirstHoldersOptions"/> when the app starts, after
/// the tables exist. A failure is logged and the app starts anyway: the next start tries again.
/// </summary>
public sealed class FirstHoldersAtStartup(FirstHolders firstHolders, IOptions<FirstHoldersOptions> options, ILogger<FirstHoldersAtStartup> logger) : IHostedService
{
    /// <summary>The actor the app's own registration is audited as.</summary>
    public const string ActorId = "app-bootstrap";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var holder in options.Value.Holders())
        {
            try
            {
                switch (await firstHolders.RegisterAsync(holder, FirstHolderRule.NobodyEverHeldIt, ActorId, cancellationToken))
                {
                    case FirstHolderOutcome.Registered registered:
                        logger.LogWarning("First {Role} registered from the Bootstrap settings: person {PersonId}, membership {MembershipId}", holder.Role, registered.PersonId, registered.MembershipId);
                        break;
                    case FirstHolderOutcome.Refused:
                        logger.LogInformation("Bootstrap: the {Role} role has been held before; nothing registered", holder.Role);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Bootstrap of the first {Role} failed; the next start tries again", holder.Role);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

namespace Serverless.DevHost;

/// <summary>
/// Seeds invented records so a newcomer sees a working system. The foundation has no case records
/// yet; the case-records feature adds its demo cases here.
/// </summary>
public sealed class DemoData(ILogger<DemoData> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Demo data: none to seed yet (case records arrive with the case-records feature)");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

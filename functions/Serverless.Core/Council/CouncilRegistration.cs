using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;

namespace Serverless.Council;

/// <summary>The council's own work: the review ledger, meetings with their reviews, and the tasks they give.</summary>
public static class CouncilRegistration
{
    public static IServiceCollection AddCouncil(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CouncilOptions>()
            .Bind(configuration.GetSection(CouncilOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(Meetings.MeetingService.TableName);
            resources.Tables.Add(Tasks.TaskReminders.TableName);
        });
        services.AddSingleton<Ledger.LedgerService>();
        services.AddSingleton<Ledger.LedgerCopies>();
        services.AddSingleton<Ledger.LedgerExport>();
        services.AddSingleton<Meetings.MeetingService>();
        services.AddSingleton<Tasks.TaskService>();
        services.AddSingleton<Tasks.TaskReminders>();
        return services;
    }
}

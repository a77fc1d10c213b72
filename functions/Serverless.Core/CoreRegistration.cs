using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Administration;
using Serverless.Agencies;
using Serverless.Audit;
using Serverless.Backup;
using Serverless.Cases;
using Serverless.Cases.Activity;
using Serverless.Cases.BreakGlass;
using Serverless.Cases.Listing;
using Serverless.Cases.Search;
using Serverless.Cases.Storage;
using Serverless.DeadLetters;
using Serverless.Health;
using Serverless.Identity.People;
using Serverless.Identity.SignIn;
using Serverless.Identity.ClientAddresses;
using Serverless.Identity.SubmissionKeys;
using Serverless.Notifications.Webhooks;
using Serverless.OnCall;
using Serverless.Queues;
using Serverless.Storage;

namespace Serverless;

/// <summary>
/// The one registration of the app's services. Every host of the code calls it: the Functions app,
/// the local host, the ops tool and the tests, so all of them run the same services.
/// </summary>
public static class CoreRegistration
{
    public static IServiceCollection AddServerlessCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddStorage(configuration);
        services.AddDeadLetters();
        services.AddHealth();
        services.AddAgencies();
        services.AddPeople(configuration);
        services.AddAdministration(configuration);
        services.AddCases(configuration);
        services.AddEntries();
        services.AddNotifications();
        services.AddReferrals(configuration);
        services.AddStats();
        services.AddAttendance();
        services.AddDisposal(configuration);
        services.AddOnCall();
        services.AddClientAddresses(configuration);
        services.AddSubmissionKeys(configuration);
        services.AddWebhooks(configuration);
        services.AddAudit(configuration);
        services.AddBackup(configuration);
        services.AddFiles(configuration);
        Council.CouncilRegistration.AddCouncil(services, configuration);
        Transfers.TransferRegistration.AddTransfers(services, configuration);
        return services;
    }

    private static void AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection("Storage"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<StorageResources>();
        services.AddSingleton<StorageOperationCounter>();
        services.AddSingleton<StorageClients>();
        services.AddSingleton<StorageNames>();
        services.AddSingleton<WorkQueue>();
        services.AddHostedService<StorageInitializer>();
    }

    private static void AddDeadLetters(this IServiceCollection services)
    {
        services.Configure<StorageResources>(resources => resources.Tables.Add(DeadLetterService.TableName));
        services.AddSingleton<DeadLetterService>();
    }

    private static void AddPeople(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageResources>(resources => resources.Tables.Add(PeopleDirectory.TableName));
        services.AddSingleton<PeopleDirectory>();
        services.AddSingleton<SignInService>();
        services.AddOptions<FirstHoldersOptions>()
            .Bind(configuration.GetSection(FirstHoldersOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<FirstHolders>();
        // After StorageInitializer (registered earlier): the People table exists by then.
        services.AddHostedService<FirstHoldersAtStartup>();
    }

    private static void AddAgencies(this IServiceCollection services)
    {
        services.Configure<StorageResources>(resources => resources.Tables.Add(AgencyDirectory.TableName));
        services.AddSingleton<AgencyDirectory>();
        services.AddSingleton<AgencyListing>();
    }

    private static void AddCases(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CaseSearchOptions>()
            .Bind(configuration.GetSection("CaseSearch"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(CaseStore.TableName);
            resources.Tables.Add(CaseIndex.TableName);
            resources.Tables.Add(ChildIndex.TableName);
            resources.Tables.Add(BreakGlassGrants.TableName);
        });
        services.AddSingleton<CaseStore>();
        services.AddSingleton<CaseIndex>();
        services.AddSingleton<ChildKeys>();
        services.AddSingleton<ChildIndex>();
        services.AddSingleton<DuplicateFinder>();
        services.AddSingleton<CaseGate>();
        services.AddSingleton<CaseService>();
        services.AddSingleton<CaseActivityLog>();
        services.AddSingleton<BreakGlassGrants>();
        services.AddSingleton<BreakGlassService>();
    }

    private static void AddEntries(this IServiceCollection services)
    {
        // Entries live in their case's partition of the Cases table; only their events need a queue.
        services.Configure<StorageResources>(resources => resources.WorkQueues.Add(Entries.EntryEvents.Queue));
        services.AddSingleton<Idempotency.IdempotencyRecords>();
        services.AddSingleton<Entries.EntryStore>();
        services.AddSingleton<Entries.EntryEvents>();
        services.AddSingleton<Entries.EntryWriter>();
        services.AddSingleton<Entries.ReportService>();
        services.AddSingleton<Entries.CommentService>();
        services.AddSingleton<Entries.TimelineService>();
    }

    private static void AddNotifications(this IServiceCollection services)
    {
        // Each person's inbox; the outbox of entries whose fan-out is not done yet.
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(Notifications.NotificationInbox.TableName);
            resources.Tables.Add(Notifications.EntryOutbox.TableName);
        });
        services.AddSingleton<Notifications.NotificationInbox>();
        services.AddSingleton<Notifications.EntryOutbox>();
        services.AddSingleton<Notifications.AgencyChannels>();
        services.AddSingleton<Notifications.NotificationFanOut>();
        services.AddSingleton<Notifications.NotificationReader>();
    }

    private static void AddStats(this IServiceCollection services)
    {
        services.Configure<StorageResources>(resources => resources.Tables.Add(Stats.MonthlyCounters.TableName));
        services.AddSingleton<Stats.MonthlyCounters>();
        services.AddSingleton<Stats.StatsRecorder>();
        services.AddSingleton<Stats.CaseSnapshots>();
        services.AddSingleton<Stats.StatsReader>();
        services.AddSingleton<Stats.StatsFiles>();
    }

    private static void AddReferrals(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Referrals.ReferralOptions>()
            .Bind(configuration.GetSection(Referrals.ReferralOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<StorageResources>(resources => resources.Tables.Add(Referrals.ReferralStore.TableName));
        services.AddSingleton<Referrals.ReferralStore>();
        services.AddSingleton<Referrals.ReferralEntries>();
        services.AddSingleton<Referrals.ReferralIntake>();
        services.AddSingleton<Referrals.ReferralReader>();
        services.AddSingleton<Referrals.ReferralCountReader>();
        services.AddSingleton<Referrals.SafetyConfirmations>();
        services.AddSingleton<Referrals.ReferralTriage>();
        services.AddSingleton<Referrals.IEscalationRecipients, Referrals.OnCallRecipients>();
        services.AddSingleton<Referrals.ReferralEscalations>();
    }

    private static void AddAttendance(this IServiceCollection services)
    {
        // The attendance lists, calendars, monthly reports, absences, alerts and reminders: one table.
        services.Configure<StorageResources>(resources => resources.Tables.Add(Attendance.AttendanceStore.TableName));
        services.AddSingleton<Attendance.AttendanceStore>();
        services.AddSingleton<Attendance.AttendanceLists>();
        services.AddSingleton<Attendance.AttendanceAlerts>();
        services.AddSingleton<Attendance.AttendanceReports>();
        services.AddSingleton<Attendance.AttendanceReminders>();
    }

    private static void AddDisposal(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<Cases.Disposal.DisposalOptions>()
            .Bind(configuration.GetSection("Disposal"))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(Cases.Disposal.LegalHolds.TableName);
            resources.Tables.Add(Cases.Disposal.Disposals.TableName);
            resources.WorkQueues.Add(Cases.Disposal.DisposalQueue.Name);
        });
        services.AddSingleton<Cases.Disposal.LegalHolds>();
        services.AddSingleton<Cases.Disposal.Disposals>();
        services.AddSingleton<Cases.Disposal.DisposalService>();
        services.AddSingleton<Cases.Disposal.CaseEraser>();
        services.AddSingleton<Cases.Disposal.DisposalQueue>();
        services.AddSingleton<Cases.Disposal.DisposalRegisterCopy>();
        services.AddSingleton<Cases.Disposal.DisposalRunner>();
    }

    private static void AddOnCall(this IServiceCollection services)
    {
        services.Configure<StorageResources>(resources => resources.Tables.Add(OnCallStore.TableName));
        services.AddSingleton<OnCallStore>();
        services.AddSingleton<OnCallService>();
    }

    private static void AddFiles(this IServiceCollection services, IConfiguration configuration)
    {
        // A file's row lives in its case's partition; the pointers of files not yet attached in their own table.
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(Files.Storage.CaseFiles.PendingTable);
            resources.Containers.Add(Files.Storage.FileBlobs.Quarantine);
            resources.Containers.Add(Files.Storage.FileBlobs.Files);
            resources.WorkQueues.Add(Files.Validation.FileValidationQueue.Queue);
        });
        services.AddOptions<Files.FilesOptions>()
            .Bind(configuration.GetSection(Files.FilesOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Files.FileInspector>();
        services.AddSingleton<Files.PhotoCleaner>();
        services.AddSingleton<Files.FileValidator>();
        services.AddSingleton<Files.Storage.CaseFiles>();
        services.AddSingleton<Files.Thumbnails.ThumbnailMaker>();
        services.AddSingleton<Files.Validation.FileStoreSteps>();
        services.AddSingleton<Files.Validation.FileValidationQueue>();
        services.AddSingleton<Files.Upload.FileUploads>();
        services.AddSingleton<Files.Reading.FileReader>();
        services.AddSingleton<Files.Attachments.FileAttachments>();
        services.AddSingleton<Files.Attachments.FileAttacher>();
        services.AddSingleton<Files.Sweep.FileSweep>();
        services.AddSingleton<Files.Direct.IUploadAddressSigner, Files.Direct.SdkUploadAddressSigner>();
        services.AddSingleton<Files.Direct.UploadAddresses>();
        services.AddSingleton<Files.Direct.DirectUploads>();
    }

    private static void AddHealth(this IServiceCollection services)
    {
        services.Configure<StorageResources>(resources =>
        {
            resources.Tables.Add(HealthProbeService.TableName);
            resources.WorkQueues.Add(HealthProbeService.Queue);
            resources.Containers.Add(HealthService.Container);
        });
        services.AddOptions<HealthOptions>()
            .BindConfiguration(HealthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<HealthService>();
        services.AddSingleton<HealthProbeService>();
    }
}

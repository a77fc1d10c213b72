using Serverless.Functions;

namespace Serverless.DevHost;

/// <summary>
/// Builds the local host: the app's own services (the same <c>AddServerlessApp</c> the Functions app
/// calls), its HTTP functions on their routes, a listener per queue function and a scheduler per
/// timer function. For development and tests only; production runs on Azure Functions.
/// </summary>
public static class DevHostApplication
{
    /// <summary>This machine: the admin API's allowed networks on the local host and in tests.</summary>
    public const string LoopbackNetworks = "127.0.0.0/8,::1";

    public static WebApplication Build(string[] args, DevHostOptions options)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Local runs use Azurite, a fixed development search key, the demo people and the development
        // token issuer unless told otherwise; environment variables and the command line win. Nothing sits
        // in front of the local host, so the client is the connection's address (no trusted proxy), and the
        // admin API answers this machine only (loopback), as it answers only the municipality's gateway in Azure.
        builder.Configuration.AddInMemoryCollection(DemoPeople.Configuration(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["CaseSearch:HmacKey"] = DevelopmentSecrets.CaseSearchKey,
            ["Webhooks:EncryptionKey"] = DevelopmentSecrets.WebhookEncryptionKey,
            ["Webhooks:InboxUrl"] = "http://127.0.0.1:7071/api/notifications",
            ["Authentication:Development:SigningKey"] = DevelopmentSecrets.TokenSigningKey,
            ["Network:TrustedProxyHops"] = "0",
            ["Administration:AllowedNetworks"] = LoopbackNetworks,
            // The page signs in through this host's development routes (DevelopmentSignIn), which Azure never has.
            ["WebApp:SignIn"] = "development",
        }));
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);

        builder.Logging.KeepPersonalDataOut();

        var settings = HostSettings.Load(options.HostJsonPath);
        LocalHostSettings.Apply(builder.Configuration, settings, options);
        options.ConfigureHostSettings?.Invoke(settings);
        var functions = FunctionCatalog.Discover(typeof(AppRegistration).Assembly);

        builder.Services.AddServerlessApp(builder.Configuration);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(functions);
        builder.Services.AddSingleton<FunctionInvoker>();
        foreach (var type in functions.Select(function => function.ClassType).Distinct())
        {
            builder.Services.AddScoped(type);
        }

        if (options.RunBackgroundTriggers)
        {
            foreach (var queue in functions.OfType<QueueFunction>())
            {
                builder.Services.AddSingleton<IHostedService>(services => ActivatorUtilities.CreateInstance<QueueTriggerListener>(services, queue));
            }

            foreach (var timer in functions.OfType<TimerFunction>().Where(_ => options.RunTimers))
            {
                builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<TimerTriggerScheduler>(services, timer));
                builder.Services.AddSingleton<IHostedService>(services => services.GetServices<TimerTriggerScheduler>().Single(s => s.Function == timer));
            }
        }

        if (options.SeedDemoData)
        {
            builder.Services.AddSingleton<DemoTimelineWriter>();
            builder.Services.AddSingleton<DemoTimeline>();
            builder.Services.AddSingleton<DemoReferrals>();
            builder.Services.AddHostedService<DemoData>();
        }

        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        MethodNotAllowedProblem.Use(app);
        DevelopmentSignIn.Map(app);
        HttpTriggers.Map(app, functions.OfType<HttpFunction>(), settings);
        return app;
    }
}

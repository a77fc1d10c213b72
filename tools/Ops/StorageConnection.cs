using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Serverless.Storage;

namespace Serverless.Ops;

/// <summary>
/// Where the commands find the app's storage, and the app's own services over it. Either Azurite
/// (<c>--connection-string</c>; the app's <see cref="StorageOptions"/> validation refuses any other)
/// or a deployed account (<c>--account NAME</c>) reached with the operator's own Azure sign-in, never
/// an account key. Without either, the environment's <c>Storage__*</c> settings are used.
/// </summary>
internal sealed partial class StorageConnection
{
    public Option<string> ConnectionString { get; } = new("--connection-string")
    {
        Description = "Azurite connection string (e.g. UseDevelopmentStorage=true). Account keys for Azure are refused: use --account.",
        Recursive = true,
    };

    public Option<string> Account { get; } = new("--account")
    {
        Description = "Storage account name in Azure; uses your Azure sign-in (az login), never an account key.",
        Recursive = true,
    };

    public Option<string> NamePrefix { get; } = new("--name-prefix")
    {
        Description = "Storage name prefix of a test run (Azurite only).",
        Recursive = true,
        Hidden = true,
    };

    public void AddTo(RootCommand root)
    {
        Account.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } name && !AccountName().IsMatch(name))
            {
                result.AddError("--account takes a storage account name: 3 to 24 lowercase letters and digits.");
            }
        });
        root.Options.Add(ConnectionString);
        root.Options.Add(Account);
        root.Options.Add(NamePrefix);
    }

    /// <summary>Added to every command that reaches storage.</summary>
    public void Validate(CommandResult result)
    {
        if (result.GetResult(ConnectionString) is not null && result.GetResult(Account) is not null)
        {
            result.AddError("Give either --connection-string (Azurite) or --account (Azure), not both.");
        }
    }

    /// <summary>
    /// The app's services (the same <c>AddServerlessCore</c> every host calls), with console logs on
    /// standard error. Throws <see cref="UsageException"/> when the storage settings are refused.
    /// </summary>
    public ServiceProvider BuildServices(ParseResult parseResult)
    {
        var settings = new Dictionary<string, string?>();
        if (parseResult.GetValue(ConnectionString) is { } connectionString)
        {
            settings["Storage:ConnectionString"] = connectionString;
        }

        if (parseResult.GetValue(Account) is { } account)
        {
            // An empty connection string (not a missing one) overrides one from the environment.
            settings["Storage:ConnectionString"] = "";
            settings["Storage:TableServiceUri"] = $"https://{account}.table.core.windows.net";
            settings["Storage:QueueServiceUri"] = $"https://{account}.queue.core.windows.net";
            settings["Storage:BlobServiceUri"] = $"https://{account}.blob.core.windows.net";
        }

        if (parseResult.GetValue(NamePrefix) is { } prefix)
        {
            settings["Storage:NamePrefix"] = prefix;
        }

        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(settings)
            .Build();

        var services = new ServiceCollection()
            .AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Information)
                .AddSimpleConsole(console => console.SingleLine = true)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddFilter("System", LogLevel.Warning))
            .Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddServerlessCore(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        try
        {
            // The Functions host validates on start; this tool has no host, so it validates here,
            // before any command touches storage.
            _ = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            services.Dispose();
            throw new UsageException(string.Join(Environment.NewLine, ex.Failures.Append(
                "Use --connection-string for Azurite, or --account NAME for a storage account in Azure (with your Azure sign-in).")));
        }

        return services;
    }

    /// <summary>
    /// A backup container by URL. In Azure: with the operator's own Azure sign-in (DefaultAzureCredential),
    /// never an account key. A loopback URL is Azurite's, reached with the emulator connection string
    /// (<c>--connection-string</c> or <c>Storage__ConnectionString</c>), since Azurite takes no Azure sign-in.
    /// </summary>
    public Azure.Storage.Blobs.BlobContainerClient BackupContainer(ParseResult parseResult, string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var containerUrl) || (containerUrl.Scheme != Uri.UriSchemeHttps && containerUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new UsageException($"{url} is not a container URL: give https://ACCOUNT.blob.core.windows.net/CONTAINER.");
        }

        var segments = containerUrl.AbsolutePath.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            throw new UsageException($"{containerUrl} names no container: give https://ACCOUNT.blob.core.windows.net/CONTAINER.");
        }

        if (containerUrl.IsLoopback)
        {
            var emulator = parseResult.GetValue(ConnectionString) ?? Environment.GetEnvironmentVariable("Storage__ConnectionString");
            if (emulator is null || !StorageOptions.IsEmulator(emulator))
            {
                throw new UsageException($"{containerUrl} is on this machine (Azurite): give the emulator's --connection-string too.");
            }

            return new Azure.Storage.Blobs.BlobContainerClient(emulator, segments[^1]);
        }

        if (containerUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new UsageException($"{containerUrl}: a backup container in Azure is reached over https only.");
        }

        return Serverless.Backup.BackupService.ContainerAt(containerUrl, managedIdentityClientId: null);
    }

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex AccountName();
}

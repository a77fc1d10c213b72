using System.ComponentModel.DataAnnotations;

namespace Serverless.Storage;

/// <summary>
/// Where the app keeps its data. In Azure: the three service URIs and the user-assigned managed
/// identity's client id (no keys). Locally and in tests: an Azurite connection string.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public string? ConnectionString { get; set; }

    public Uri? TableServiceUri { get; set; }

    public Uri? QueueServiceUri { get; set; }

    public Uri? BlobServiceUri { get; set; }

    /// <summary>Client id of the user-assigned identity. Worker-side SDK clients do not read
    /// <c>AzureWebJobsStorage__clientId</c>, and without it DefaultAzureCredential may pick another identity.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prepended to table, queue and container names so each test gets fresh ones on a shared
    /// Azurite. Letters and digits only, starting with a letter. Emulator only: in Azure the queue
    /// triggers listen on the unprefixed names their attributes declare.</summary>
    [RegularExpression("^([A-Za-z][A-Za-z0-9]{0,19})?$", ErrorMessage = "Storage:NamePrefix must be letters and digits, starting with a letter, at most 20 characters.")]
    public string NamePrefix { get; set; } = "";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString))
        {
            if (!IsEmulator(ConnectionString))
            {
                yield return new ValidationResult(
                    "Storage:ConnectionString may only point at the local emulator (Azurite). In Azure set Storage:TableServiceUri, Storage:QueueServiceUri, Storage:BlobServiceUri and Storage:ManagedIdentityClientId: account keys are never used.",
                    [nameof(ConnectionString)]);
            }

            yield break;
        }

        if (NamePrefix.Length > 0)
        {
            yield return new ValidationResult(
                "Storage:NamePrefix is for tests on the local emulator only; in Azure it would send work to queues no function listens on.",
                [nameof(NamePrefix)]);
        }

        if (TableServiceUri is null || QueueServiceUri is null || BlobServiceUri is null)
        {
            yield return new ValidationResult(
                "Storage is not configured: set Storage:ConnectionString=UseDevelopmentStorage=true for Azurite, or the three Storage:*ServiceUri settings for Azure.",
                [nameof(TableServiceUri), nameof(QueueServiceUri), nameof(BlobServiceUri)]);
        }
    }

    /// <summary>True for Azurite: the development shortcut, or endpoints on this machine.</summary>
    public static bool IsEmulator(string connectionString)
    {
        if (connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var endpoints = connectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].EndsWith("Endpoint", StringComparison.OrdinalIgnoreCase))
            .Select(pair => Uri.TryCreate(pair[1], UriKind.Absolute, out var uri) ? uri : null)
            .ToList();

        return endpoints.Count > 0 && endpoints.All(uri => uri is not null && uri.IsLoopback);
    }
}

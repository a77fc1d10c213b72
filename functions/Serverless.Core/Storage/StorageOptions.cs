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

    /// <summary>The emulator's one account, the same on every machine.</summary>
    public const string EmulatorAccountName = "devstoreaccount1";

    private static readonly string[] ServiceEndpoints = ["BlobEndpoint", "QueueEndpoint", "TableEndpoint"];

    private static readonly HashSet<string> EndpointStringKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "DefaultEndpointsProtocol", "AccountName", "AccountKey", "BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint",
    };

    /// <summary>
    /// True for Azurite only: exactly <c>UseDevelopmentStorage=true</c>, or the emulator's account
    /// (<see cref="EmulatorAccountName"/>) with blob, queue and table endpoints all on this machine. The string
    /// is parsed into key=value pairs, never searched: a real account's SAS token may contain any text.
    /// Anything else (another key, a key given twice, a service left to its public default) is not the emulator.
    /// </summary>
    public static bool IsEmulator(string connectionString)
    {
        var pairs = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !pairs.TryAdd(pair[0], pair[1]))
            {
                return false;
            }
        }

        if (pairs.Count == 1 && pairs.TryGetValue("UseDevelopmentStorage", out var shortcut))
        {
            return shortcut.Equals("true", StringComparison.OrdinalIgnoreCase);
        }

        return pairs.Keys.All(EndpointStringKeys.Contains)
            && pairs.TryGetValue("AccountName", out var account) && account == EmulatorAccountName
            && ServiceEndpoints.All(pairs.ContainsKey)
            && pairs.Where(pair => pair.Key.EndsWith("Endpoint", StringComparison.OrdinalIgnoreCase)).All(pair => IsLoopback(pair.Value));
    }

    /// <summary>http(s) to 127.0.0.1, localhost or [::1], with no user info (<c>http://127.0.0.1@example.com</c> is example.com).</summary>
    private static bool IsLoopback(string endpoint)
        => Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            && uri.UserInfo.Length == 0
            && uri.IsLoopback;
}

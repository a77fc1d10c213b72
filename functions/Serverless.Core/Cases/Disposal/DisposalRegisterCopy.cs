using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using Serverless.Backup;
using Serverless.Storage;

namespace Serverless.Cases.Disposal;

/// <summary>
/// The disposal register next to the app's backups: after the app disposes of a case it writes
/// <c>disposal-register/{caseId}.json</c> (the register line: ids, dates and the rule reference, nothing about the
/// child) into the backup container, so that <c>restore --from-container-url</c> deletes the case again even when
/// the newest backup predates the disposal. Written once (<c>If-None-Match: *</c>), as every backup blob, which also
/// suits the container's immutability policy; the blob ages out under the container's lifecycle rule, after every
/// backup that could still hold the case (those were all written before it).
/// </summary>
public sealed class DisposalRegisterCopy(IOptions<BackupOptions> backup, IOptions<StorageOptions> storage)
{
    public const string Prefix = "disposal-register/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Whether the app has a backup container (<c>Backup:ContainerUri</c>, or <c>Backup:ConnectionString</c> with <c>Backup:Container</c>).</summary>
    public bool Configured
        => backup.Value.ContainerUri is not null
            || (!string.IsNullOrWhiteSpace(backup.Value.ConnectionString) && !string.IsNullOrWhiteSpace(backup.Value.Container));

    public static string BlobName(string caseId) => Prefix + caseId + ".json";

    public static byte[] Serialize(DisposalRegisterEntry entry) => JsonSerializer.SerializeToUtf8Bytes(entry, Json);

    public static DisposalRegisterEntry Deserialize(BinaryData content, string name)
        => JsonSerializer.Deserialize<DisposalRegisterEntry>(content.ToMemory().Span, Json) ?? throw new InvalidDataException($"{name}: empty");

    /// <summary>Writes the register line once; false when no backup container is configured. One that is already
    /// there (a retried message) is success: the line of a disposed case never changes.</summary>
    public async Task<bool> WriteAsync(DisposalRegisterEntry entry, CancellationToken cancellationToken)
    {
        if (!Configured)
        {
            return false;
        }

        var container = BackupService.DestinationContainer(backup.Value, storage.Value);
        var blob = container.GetBlobClient(BlobName(entry.CaseId));
        try
        {
            await UploadOnceAsync(blob, entry, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // No backup has run yet: the container is made as the backup makes it.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            await UploadOnceAsync(blob, entry, cancellationToken);
        }

        return true;
    }

    /// <summary>Create only; a line already there (an earlier attempt) is success.</summary>
    private static async Task UploadOnceAsync(BlobClient blob, DisposalRegisterEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await blob.UploadAsync(
                BinaryData.FromBytes(Serialize(entry)),
                new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" },
                    Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
                },
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
        }
    }
}

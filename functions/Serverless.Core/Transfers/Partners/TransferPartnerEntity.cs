using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Transfers.Partners;

/// <summary>One partner council: partition <c>partner</c>, row its municipality code. Keys are public keys (PEM).</summary>
public sealed class TransferPartnerEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;
    public const string Partition = "partner";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    public string DisplayName { get; set; } = "";

    public string EndpointUrl { get; set; } = "";

    public string EncryptionKeyPem { get; set; } = "";

    public string EncryptionKeyFingerprint { get; set; } = "";

    public string VerificationKeyPem { get; set; } = "";

    public string VerificationKeyFingerprint { get; set; } = "";

    public long Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The admin's person id (opaque).</summary>
    public string UpdatedBy { get; set; } = "";

    /// <summary>The version a coordinator confirmed; the partner is confirmed only while it is the current one.</summary>
    public long? ConfirmedVersion { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary>The coordinator's person id (opaque).</summary>
    public string? ConfirmedBy { get; set; }

    public TransferPartner ToPartner()
    {
        var confirmed = ConfirmedVersion == Version;
        return new(
            RowKey, DisplayName, EndpointUrl, EncryptionKeyPem, EncryptionKeyFingerprint, VerificationKeyPem, VerificationKeyFingerprint,
            Version, UpdatedAt, UpdatedBy, confirmed, confirmed ? ConfirmedAt : null, confirmed ? ConfirmedBy : null);
    }
}

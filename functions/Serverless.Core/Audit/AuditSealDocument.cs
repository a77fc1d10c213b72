using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.Storage;

namespace Serverless.Audit;

/// <summary>
/// The WORM copy of a seal, <c>seals/{N:D12}.json</c> in <c>audit-seals</c>: everything the table row
/// holds and every entry's id and hash, in order. Ids and hashes only: no personal data.
/// </summary>
public sealed record AuditSealDocument(
    int SchemaVersion,
    long Number,
    string FromEntryId,
    string ToEntryId,
    int Count,
    DateTimeOffset SealedAt,
    string PreviousHash,
    string Hash,
    IReadOnlyList<AuditSealedEntry> Entries) : ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true,
    };

    public BinaryData ToBinary() => BinaryData.FromObjectAsJson(this, Json);

    /// <summary>The document, or null when the blob does not hold one.</summary>
    public static AuditSealDocument? Parse(BinaryData content)
    {
        try
        {
            return content.ToObjectFromJson<AuditSealDocument>(Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One sealed entry: its id (the row key; the partition follows from it) and its hash.</summary>
public sealed record AuditSealedEntry(string Id, string Hash);

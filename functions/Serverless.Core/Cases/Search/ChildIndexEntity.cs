using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Cases.Search;

/// <summary>
/// "This name / birth date / guardian appears in that case": partition = HMAC of the normalised value
/// (never the value), row = case id. Name rows also carry the HMAC of the person's birth date, so a
/// name match can be weighed against the birth date without reading the case.
/// </summary>
public sealed class ChildIndexEntity : ITableEntity, ISchemaVersioned
{
    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    /// <summary><c>name</c>, <c>birth-date</c> or <c>guardian</c>: what kind of value the key hides.</summary>
    public string Kind { get; set; } = "";

    public string? BirthDateKey { get; set; }
}

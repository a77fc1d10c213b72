using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Idempotency;

/// <summary>
/// The record of one idempotency key, in the partition of what it created (a case's, for its entries, so the
/// eraser removes it with the case). Rows: <c>k{scope}</c>, the completed request (inserted in the same batch as
/// what it created, so it exists exactly when that does); <c>i{scope}</c>, the mark of a first attempt still
/// running, which expires so a crashed attempt does not block its retry for ever.
/// </summary>
public sealed class IdempotencyEntity : ITableEntity, ISchemaVersioned
{
    public const int CurrentSchemaVersion = 1;

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>SHA-256 of the request body, hex: a retry with another body is refused (422).</summary>
    public string RequestHash { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>On an in-flight mark: when it stops counting.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>On an in-flight mark: a random id of the attempt that wrote it, so that attempt knows its own mark when the
    /// storage client's retry of the insert (the first answer lost on the way) meets it.</summary>
    public string? Attempt { get; set; }

    /// <summary>On a completion: the status answered.</summary>
    public int Status { get; set; }

    /// <summary>On a completion: the body answered (a receipt of ids and times, never the request's text).</summary>
    public string? Response { get; set; }

    /// <summary>On a completion: the <c>Location</c> answered.</summary>
    public string? Location { get; set; }

    public static string CompletedRow(string scope) => "k" + scope;

    public static string InFlightRow(string scope) => "i" + scope;
}

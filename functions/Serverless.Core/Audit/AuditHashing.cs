using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;

namespace Serverless.Audit;

/// <summary>
/// The hashes of the seal chain. An entry's hash covers every stored property, keys included (so a moved
/// entry no longer matches), but not the service's <c>Timestamp</c> and ETag, which change on a restore.
/// The canonical form is a JSON array of <c>[name, type, value]</c> sorted by name (ordinal): the type is
/// part of it, so turning a number into a string also shows.
/// </summary>
public static class AuditHashing
{
    /// <summary>The previous hash of seal 1.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string EntryHash(TableEntity entity) => EntryHash(entity, entity.PartitionKey, entity.RowKey);

    /// <summary>The hash <paramref name="entity"/>'s content would have under other keys: how the verifier
    /// recognises a sealed entry that was moved or swapped.</summary>
    public static string EntryHash(TableEntity entity, string partitionKey, string rowKey)
    {
        var properties = entity.Keys
            .Where(name => name is not ("Timestamp" or "PartitionKey" or "RowKey") && !name.StartsWith("odata.", StringComparison.Ordinal))
            .Select(name => Canonical(name, entity[name]))
            .Append(["PartitionKey", "String", partitionKey])
            .Append(["RowKey", "String", rowKey])
            .OrderBy(property => property[0], StringComparer.Ordinal)
            .ToArray();
        return Sha256Hex(JsonSerializer.SerializeToUtf8Bytes(properties));
    }

    /// <summary>SHA-256(previous seal hash ‖ each entry hash in order ‖ the seal's own metadata).</summary>
    public static string SealHash(string previousHash, IEnumerable<string> entryHashes, long number, string fromEntryId, string toEntryId, int count, DateTimeOffset sealedAt)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Convert.FromHexString(previousHash));
        foreach (var entryHash in entryHashes)
        {
            hash.AppendData(Convert.FromHexString(entryHash));
        }

        string[] metadata = ["audit-seal-v1", number.ToString(CultureInfo.InvariantCulture), fromEntryId, toEntryId, count.ToString(CultureInfo.InvariantCulture), Instant(sealedAt)];
        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(metadata));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static bool IsHash(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigitLower);

    private static string[] Canonical(string name, object? value) => value switch
    {
        null => [name, "Null", ""],
        string text => [name, "String", text],
        bool flag => [name, "Boolean", flag ? "true" : "false"],
        int number => [name, "Int32", number.ToString(CultureInfo.InvariantCulture)],
        long number => [name, "Int64", number.ToString(CultureInfo.InvariantCulture)],
        double number => [name, "Double", number.ToString("R", CultureInfo.InvariantCulture)],
        DateTimeOffset time => [name, "DateTime", Instant(time)],
        DateTime time => [name, "DateTime", Instant(new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)))],
        Guid guid => [name, "Guid", guid.ToString("D")],
        byte[] bytes => [name, "Binary", Convert.ToBase64String(bytes)],
        BinaryData data => [name, "Binary", Convert.ToBase64String(data.ToArray())],
        _ => [name, value.GetType().Name, Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""],
    };

    private static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;

namespace Serverless.Backup;

/// <summary>
/// Table entities as the encrypted table files hold them: keys, and every property with its EDM type
/// and an invariant text value, so Int64, DateTime (to the tick), Guid, Binary, Boolean and Double
/// come back as exactly the types they were. Timestamp and ETag are the server's and are not kept.
/// </summary>
internal static class EntityCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static byte[] Serialize(string table, IReadOnlyList<StoredEntity> entities)
        => JsonSerializer.SerializeToUtf8Bytes(new StoredTable(table, entities), Json);

    public static StoredTable Deserialize(byte[] json)
        => JsonSerializer.Deserialize<StoredTable>(json, Json) ?? throw new BackupFailedException("A table file holds no table.");

    public static StoredEntity ToStored(TableEntity entity)
    {
        var properties = entity
            .Where(property => property.Key is not ("PartitionKey" or "RowKey" or "Timestamp") && !property.Key.StartsWith("odata.", StringComparison.Ordinal))
            .OrderBy(property => property.Key, StringComparer.Ordinal)
            .Select(property => ToStored(entity.PartitionKey, property.Key, property.Value))
            .ToList();
        return new StoredEntity(entity.PartitionKey, entity.RowKey, properties);
    }

    public static TableEntity ToEntity(StoredEntity stored)
    {
        var entity = new TableEntity(stored.PartitionKey, stored.RowKey);
        foreach (var property in stored.Properties)
        {
            entity[property.Name] = property.Type switch
            {
                "Edm.String" => property.Value,
                "Edm.Int32" => int.Parse(property.Value, CultureInfo.InvariantCulture),
                "Edm.Int64" => long.Parse(property.Value, CultureInfo.InvariantCulture),
                "Edm.Double" => double.Parse(property.Value, CultureInfo.InvariantCulture),
                "Edm.Boolean" => bool.Parse(property.Value),
                "Edm.DateTime" => DateTimeOffset.ParseExact(property.Value, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                "Edm.Guid" => Guid.ParseExact(property.Value, "D"),
                "Edm.Binary" => Convert.FromBase64String(property.Value),
                _ => throw new BackupFailedException($"Property {property.Name} has an unknown type {property.Type}."),
            };
        }

        return entity;
    }

    private static StoredProperty ToStored(string partitionKey, string name, object? value) => value switch
    {
        string text => new(name, "Edm.String", text),
        int number => new(name, "Edm.Int32", number.ToString(CultureInfo.InvariantCulture)),
        long number => new(name, "Edm.Int64", number.ToString(CultureInfo.InvariantCulture)),
        double number => new(name, "Edm.Double", number.ToString("R", CultureInfo.InvariantCulture)),
        bool flag => new(name, "Edm.Boolean", flag ? "true" : "false"),
        DateTimeOffset time => new(name, "Edm.DateTime", time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
        DateTime time => new(name, "Edm.DateTime", new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToString("O", CultureInfo.InvariantCulture)),
        Guid guid => new(name, "Edm.Guid", guid.ToString("D")),
        byte[] bytes => new(name, "Edm.Binary", Convert.ToBase64String(bytes)),
        BinaryData data => new(name, "Edm.Binary", Convert.ToBase64String(data.ToArray())),
        _ => throw new BackupFailedException(
            $"An entity in partition {partitionKey} has property {name} of a type the backup does not know ({value?.GetType().Name ?? "null"}); nothing was written."),
    };
}

internal sealed record StoredTable(string Table, IReadOnlyList<StoredEntity> Entities);

internal sealed record StoredEntity(string PartitionKey, string RowKey, IReadOnlyList<StoredProperty> Properties);

internal sealed record StoredProperty(string Name, string Type, string Value);

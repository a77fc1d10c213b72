using System.Text.Json;
using System.Text.Json.Serialization;
using Serverless.Storage;

namespace Serverless.Queues;

/// <summary>How queue messages are written and read. Reading refuses what it cannot trust, so a
/// bad message fails, is retried, and ends in the dead-letter table instead of doing half a job.</summary>
public static class QueueMessageJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>Reads a message of a known shape. Throws <see cref="UnreadableMessageException"/>
    /// (whose text never repeats the message) when it is not JSON, not this shape, or from a newer schema.</summary>
    public static TMessage Read<TMessage>(string text, int supportedSchemaVersion)
        where TMessage : ISchemaVersioned
    {
        TMessage? message;
        try
        {
            message = JsonSerializer.Deserialize<TMessage>(text, Options);
        }
        catch (JsonException ex)
        {
            throw new UnreadableMessageException($"Not a valid {typeof(TMessage).Name} (at {ex.Path ?? "$"}).");
        }

        if (message is null)
        {
            throw new UnreadableMessageException($"Not a valid {typeof(TMessage).Name} (null).");
        }

        if (message.SchemaVersion < 1 || message.SchemaVersion > supportedSchemaVersion)
        {
            throw new UnreadableMessageException(
                $"{typeof(TMessage).Name} schema version {message.SchemaVersion} is not supported (this release reads 1 to {supportedSchemaVersion}).");
        }

        return message;
    }
}

using System.Text.Json;

namespace Serverless.Transfers.Answers;

/// <summary>
/// What an answer message carries (its signed, encrypted payload, JSON): the package it answers, the kind (again: it must
/// match the message's), when and by whom it was decided, and a more-request's text.
/// </summary>
public sealed record TransferAnswerPayload(int SchemaVersion, string PackageMessageId, string Kind, DateTimeOffset AnsweredAt, string AnsweredByName, string? Request)
{
    public const int CurrentSchemaVersion = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>The payload, or null when it is not a well-formed answer of this schema.</summary>
    public static TransferAnswerPayload? Parse(byte[] payload)
    {
        try
        {
            var parsed = JsonSerializer.Deserialize<TransferAnswerPayload>(payload, Json);
            return parsed is { SchemaVersion: CurrentSchemaVersion }
                && parsed.Kind is not null && parsed.PackageMessageId is not null
                && TransferAnswerLimits.IsValid(parsed.Kind, parsed.PackageMessageId, parsed.AnsweredByName, parsed.Request)
                ? parsed
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

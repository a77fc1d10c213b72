namespace Serverless.Transfers.Envelope;

/// <summary>Message ids: <c>tm-</c> and 32 lower-case hex digits (random); ids only, safe in logs, blob names and audit.</summary>
public static class TransferIds
{
    public static string NewMessageId() => "tm-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public static bool IsMessageId(string? id)
        => id is { Length: 35 } && id.StartsWith("tm-", StringComparison.Ordinal) && id.AsSpan(3).ContainsAnyExcept("0123456789abcdef") is false;
}

namespace Serverless.Transfers.Answers;

public static class TransferAnswerLimits
{
    /// <summary>The answering coordinator's display name as it travels.</summary>
    public const int MaxNameLength = 200;

    /// <summary>A more-request's text.</summary>
    public const int MaxRequestLength = 2000;

    /// <summary>More-requests kept on the sender's transfer row (and shown): the latest ones. Ten of 2,000 characters stay
    /// far under a table property's 64 KiB.</summary>
    public const int MaxMoreRequestsKept = 10;

    public static bool IsKind(string? kind) => kind is TransferAnswerKinds.Acknowledgement or TransferAnswerKinds.MoreRequest;

    /// <summary>Whether an answer is well formed (the outbox refuses others; the intake refuses them as malformed).</summary>
    public static bool IsValid(string kind, string packageMessageId, string? answeredByName, string? request)
        => IsKind(kind)
            && Envelope.TransferIds.IsMessageId(packageMessageId)
            && !string.IsNullOrWhiteSpace(answeredByName) && answeredByName.Length <= MaxNameLength
            && (kind == TransferAnswerKinds.Acknowledgement
                ? request is null
                : !string.IsNullOrWhiteSpace(request) && request.Length <= MaxRequestLength);
}

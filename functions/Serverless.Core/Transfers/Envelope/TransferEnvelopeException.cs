namespace Serverless.Transfers.Envelope;

/// <summary>Why a sealed message was refused. The message names the failure, never the content.</summary>
public sealed class TransferEnvelopeException(TransferEnvelopeFailure failure, string message) : Exception(message)
{
    public TransferEnvelopeFailure Failure { get; } = failure;
}

public enum TransferEnvelopeFailure
{
    /// <summary>Not a sealed transfer message, or truncated.</summary>
    Malformed,

    /// <summary>Addressed to another council.</summary>
    NotForUs,

    /// <summary>Cannot be decrypted with our key, or the AES-GCM check failed: changed, or encrypted for someone else.</summary>
    Undecryptable,

    /// <summary>Decrypted, but the signature is not the sender's, or what was signed does not match the routing.</summary>
    BadSignature,
}

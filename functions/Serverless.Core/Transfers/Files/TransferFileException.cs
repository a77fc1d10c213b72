namespace Serverless.Transfers.Files;

/// <summary>Why an export file was refused. The message names the failure, never the content.</summary>
public sealed class TransferFileException(TransferFileFailure failure, string message) : Exception(message)
{
    public TransferFileFailure Failure { get; } = failure;
}

public enum TransferFileFailure
{
    /// <summary>Not an export file, truncated, or its contents are not laid out as documented.</summary>
    Malformed,

    /// <summary>Larger than <see cref="TransferFile.MaxFileBytes"/> or carrying more than <see cref="TransferFile.MaxFiles"/> files.</summary>
    TooLarge,

    /// <summary>Cannot be decrypted with this key: made for another key, or changed on the way.</summary>
    Undecryptable,

    /// <summary>Decrypted, but not signed by the sender key given (another sender, or a forged file).</summary>
    BadSignature,

    /// <summary>A file is missing, extra, or its length or SHA-256 is not what the package says.</summary>
    FileMismatch,
}

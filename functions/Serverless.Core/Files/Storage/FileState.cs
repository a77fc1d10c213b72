namespace Serverless.Files.Storage;

/// <summary>Where a file is on its way from the uploader to the case.</summary>
public enum FileState
{
    /// <summary>Its bytes are on their way into quarantine (the function path is streaming them, or a direct upload
    /// address was handed out and not yet completed).</summary>
    Receiving,

    /// <summary>All of it is in quarantine; validation is queued.</summary>
    Quarantined,

    /// <summary>Validated and stored in the case's files: it can be downloaded.</summary>
    Ready,

    /// <summary>Refused by validation, with a reason its uploader can read; its bytes are deleted.</summary>
    Rejected,
}

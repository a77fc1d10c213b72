namespace Serverless.Files;

/// <summary>How a file reached storage, which sets its size limit (<see cref="FilesOptions"/>).</summary>
public enum UploadRoute
{
    /// <summary>Its bytes passed through an HTTP function.</summary>
    FunctionPath,

    /// <summary>Uploaded straight to a quarantine blob with a short-lived upload address.</summary>
    Direct,
}

namespace Serverless.Files;

/// <summary>An uploaded file name made safe to keep and to offer as a download name, or why none is left.</summary>
public abstract record SanitisedFileName
{
    public sealed record Valid(string Name) : SanitisedFileName;

    public sealed record Refused(FileRejection Rejection) : SanitisedFileName;
}

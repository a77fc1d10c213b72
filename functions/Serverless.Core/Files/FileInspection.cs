namespace Serverless.Files;

/// <summary>What the content of a file turned out to be.</summary>
public abstract record FileInspection
{
    public sealed record Accepted(FileType Type) : FileInspection;

    public sealed record Rejected(FileRejection Rejection) : FileInspection;

    public static Rejected Refuse(string reason) => new(new FileRejection(reason));
}

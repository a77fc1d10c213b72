using Serverless.Files;
using Serverless.Files.Ooxml;

namespace Serverless.Tests.Files;

/// <summary>Runs the inspector on bytes made in a test.</summary>
internal static class Inspections
{
    public static FileInspection Inspect(byte[] content) => new FileInspector().Inspect(new MemoryStream(content));

    public static FileInspection Inspect(byte[] content, ZipLimits limits) => new FileInspector(limits, ImageLimits.DefaultMaxPixels, FileInspector.DefaultPdfInflateBudget).Inspect(new MemoryStream(content));

    /// <summary>The type accepted, or the reason refused, as one string: "accepted:image/jpeg" or "refused:heic".</summary>
    public static string Outcome(FileInspection inspection) => inspection switch
    {
        FileInspection.Accepted accepted => "accepted:" + accepted.Type.ContentType,
        FileInspection.Rejected rejected => "refused:" + rejected.Rejection.Reason,
        _ => throw new InvalidOperationException(),
    };

    public static string Outcome(byte[] content) => Outcome(Inspect(content));
}

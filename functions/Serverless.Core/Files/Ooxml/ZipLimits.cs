namespace Serverless.Files.Ooxml;

/// <summary>
/// What a Word, Excel or PowerPoint file may hold before it counts as a zip bomb. The defaults follow Apache POI's
/// (the library most servers open Office files with): a part may inflate to at most 100 times its compressed size
/// once it is past 1 MiB. Declared sizes are checked first, from the central directory, before anything is
/// inflated; inflating then stops at each part's declared size, so a part that lies is caught after at most that
/// many bytes and the whole file never costs more than <see cref="MaxTotalUncompressedBytes"/>.
/// </summary>
public sealed record ZipLimits
{
    public static readonly ZipLimits Default = new();

    /// <summary>Parts (entries); a 500-slide deck has about 2,000.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>All parts inflated, together (and so each part).</summary>
    public long MaxTotalUncompressedBytes { get; init; } = 1024L * 1024 * 1024;

    /// <summary>Uncompressed size over compressed size, for one part and for the whole file.</summary>
    public int MaxCompressionRatio { get; init; } = 100;

    /// <summary>Below this, a part's ratio is not held against it (tiny XML parts compress very well).</summary>
    public long RatioGraceBytes { get; init; } = 1024 * 1024;

    /// <summary>The largest XML part this inspection parses ([Content_Types].xml, relationship parts).</summary>
    public long MaxParsedXmlBytes { get; init; } = 16 * 1024 * 1024;
}

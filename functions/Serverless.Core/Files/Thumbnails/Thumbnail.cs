namespace Serverless.Files.Thumbnails;

/// <summary>What a thumbnail is, and the reasons one is not made (stable keys). Singular: <c>Thumbnails</c> is the namespace.</summary>
public static class Thumbnail
{
    /// <summary>The longest side of a thumbnail, in pixels. Smaller photos keep their size (never upscaled).</summary>
    public const int MaxSide = 320;

    public const int JpegQuality = 80;

    /// <summary>What a decode that must hold the whole image at once may allocate. SkiaSharp decodes a PNG only
    /// whole (its scanline decoder answers "unimplemented"), 4 bytes a pixel; libjpeg-turbo keeps a progressive
    /// (or multi-scan) JPEG's DCT coefficients for the whole image, 2 bytes a sample, whatever the output scale.
    /// Above this the photo is stored and served as usual, without a thumbnail.</summary>
    public const long MaxWholeImageBytes = 8 * 1024 * 1024;

    /// <summary>The largest PNG thumbnailed: <see cref="MaxWholeImageBytes"/> of 4-byte pixels (2.1 megapixels).</summary>
    public const long MaxFullDecodePixels = MaxWholeImageBytes / 4;

    /// <summary>The file is not a photo (a PDF, an Office file).</summary>
    public const string NotAnImage = "not-an-image";

    /// <summary>Thumbnailing it would hold more than <see cref="MaxWholeImageBytes"/>: a PNG over
    /// <see cref="MaxFullDecodePixels"/>, a large progressive JPEG.</summary>
    public const string TooLargeToThumbnail = "too-large-to-thumbnail";

    /// <summary>The decoder could not read it to the end.</summary>
    public const string Undecodable = "undecodable";
}

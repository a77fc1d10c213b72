using System.Globalization;

namespace Serverless.Files;

/// <summary>How many pixels a photo may have. Nothing here decodes pixels, but whoever views the photo does: a small
/// file that declares 65,535 × 65,535 pixels is a decompression bomb for a browser or a thumbnailer. 200 megapixels
/// is three times an iPhone's panorama.</summary>
public static class ImageLimits
{
    public const long DefaultMaxPixels = 200_000_000;

    internal static FileRejection TooLarge(long maxPixels) => new(
        FileRejections.ImageTooLarge,
        new Dictionary<string, string> { ["maxMegapixels"] = (maxPixels / 1_000_000).ToString(CultureInfo.InvariantCulture) });
}

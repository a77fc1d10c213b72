namespace Serverless.Files.Thumbnails;

/// <summary>
/// Shrinks an image given row by row (RGBA, premultiplied, 8 bits a channel) by averaging boxes: source pixel
/// (x, y) adds to target pixel (x·w/W, y·h/H). Only the target's sums are held (at most 320 × 320 × 4 integers),
/// so the source is never in memory whole. Then the average is laid over white (a JPEG has no alpha) and turned
/// upright by its EXIF orientation.
/// </summary>
internal sealed class BoxScaler
{
    private readonly int sourceWidth;
    private readonly int sourceHeight;
    private readonly int width;
    private readonly int height;
    private readonly int[] targetColumn;
    private readonly int[] columnCount;
    private readonly int[] rowCount;
    private readonly uint[] sums;

    public BoxScaler(int sourceWidth, int sourceHeight, int width, int height)
    {
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.width = width;
        this.height = height;
        targetColumn = new int[sourceWidth];
        columnCount = new int[width];
        rowCount = new int[height];
        sums = new uint[width * height * 4];
        for (var x = 0; x < sourceWidth; x++)
        {
            targetColumn[x] = (int)((long)x * width / sourceWidth);
            columnCount[targetColumn[x]]++;
        }

        for (var y = 0; y < sourceHeight; y++)
        {
            rowCount[TargetRow(y)]++;
        }
    }

    /// <summary>Adds source row <paramref name="y"/>, in any order.</summary>
    public void AddRow(int y, ReadOnlySpan<byte> rgba)
    {
        var row = sums.AsSpan(TargetRow(y) * width * 4, width * 4);
        for (var x = 0; x < sourceWidth; x++)
        {
            var sum = row.Slice(targetColumn[x] * 4, 4);
            var pixel = rgba.Slice(x * 4, 4);
            sum[0] += pixel[0];
            sum[1] += pixel[1];
            sum[2] += pixel[2];
            sum[3] += pixel[3];
        }
    }

    /// <summary>The averaged image over white, opaque RGBA, turned by <paramref name="orientation"/> (EXIF 1–8):
    /// for 5–8 its width and height swap.</summary>
    public (byte[] Rgba, int Width, int Height) ToUpright(int orientation)
    {
        var swap = orientation is >= 5 and <= 8;
        var (uprightWidth, uprightHeight) = swap ? (height, width) : (width, height);
        var output = new byte[uprightWidth * uprightHeight * 4];
        for (var v = 0; v < uprightHeight; v++)
        {
            for (var u = 0; u < uprightWidth; u++)
            {
                // Where the pixel shown at (u, v) is stored (EXIF 2.32, tag 0x0112: where row 0 and column 0 are seen).
                var (x, y) = orientation switch
                {
                    2 => (width - 1 - u, v),
                    3 => (width - 1 - u, height - 1 - v),
                    4 => (u, height - 1 - v),
                    5 => (v, u),
                    6 => (v, height - 1 - u),
                    7 => (width - 1 - v, height - 1 - u),
                    8 => (width - 1 - v, u),
                    _ => (u, v),
                };
                var count = (uint)(columnCount[x] * rowCount[y]);
                var sum = sums.AsSpan(((y * width) + x) * 4, 4);
                var alpha = (sum[3] + (count / 2)) / count;
                var pixel = output.AsSpan(((v * uprightWidth) + u) * 4, 4);
                for (var channel = 0; channel < 3; channel++)
                {
                    // Premultiplied colour over white: c + (1 − α)·255.
                    pixel[channel] = (byte)Math.Min(255u, ((sum[channel] + (count / 2)) / count) + 255 - alpha);
                }

                pixel[3] = 255;
            }
        }

        return (output, uprightWidth, uprightHeight);
    }

    private int TargetRow(int y) => (int)((long)y * height / sourceHeight);
}

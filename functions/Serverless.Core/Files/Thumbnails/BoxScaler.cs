namespace Serverless.Files.Thumbnails;

/// <summary>
/// Shrinks an image given row by row (RGBA, premultiplied, 8 bits a channel), top down or bottom up, by averaging
/// boxes: source pixel (x, y) adds to target pixel (x·w/W, y·h/H). Only one target row of sums is held; when the
/// rows move on to the next target row, its average is laid over white (a JPEG has no alpha) and written where its
/// EXIF orientation puts it in the upright thumbnail. The source is never in memory whole.
/// </summary>
internal sealed class BoxScaler
{
    private readonly int sourceWidth;
    private readonly int sourceHeight;
    private readonly int width;
    private readonly int height;
    private readonly int orientation;
    private readonly int[] targetColumn;
    private readonly int[] columnCount;
    private readonly int[] rowCount;
    private readonly uint[] sums;
    private readonly byte[] upright;
    private int targetRow = -1;

    /// <param name="orientation">EXIF 1–8 (anything else is 1): for 5–8 the thumbnail's width and height swap.</param>
    public BoxScaler(int sourceWidth, int sourceHeight, int width, int height, int orientation)
    {
        this.sourceWidth = sourceWidth;
        this.sourceHeight = sourceHeight;
        this.width = width;
        this.height = height;
        this.orientation = orientation is >= 1 and <= 8 ? orientation : 1;
        targetColumn = new int[sourceWidth];
        columnCount = new int[width];
        rowCount = new int[height];
        sums = new uint[width * 4];
        upright = new byte[width * height * 4];
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

    public int UprightWidth => orientation >= 5 ? height : width;

    public int UprightHeight => orientation >= 5 ? width : height;

    /// <summary>Adds source row <paramref name="y"/>; rows come in order, top down or bottom up.</summary>
    public void AddRow(int y, ReadOnlySpan<byte> rgba)
    {
        var row = TargetRow(y);
        if (row != targetRow)
        {
            Flush();
            targetRow = row;
        }

        for (var x = 0; x < sourceWidth; x++)
        {
            var sum = sums.AsSpan(targetColumn[x] * 4, 4);
            var pixel = rgba.Slice(x * 4, 4);
            sum[0] += pixel[0];
            sum[1] += pixel[1];
            sum[2] += pixel[2];
            sum[3] += pixel[3];
        }
    }

    /// <summary>The thumbnail's pixels, upright and opaque (RGBA), once every source row has been added.</summary>
    public byte[] ToUpright()
    {
        Flush();
        return upright;
    }

    private void Flush()
    {
        if (targetRow < 0)
        {
            return;
        }

        var y = targetRow;
        for (var x = 0; x < width; x++)
        {
            var count = (uint)(columnCount[x] * rowCount[y]);
            var sum = sums.AsSpan(x * 4, 4);
            var alpha = (sum[3] + (count / 2)) / count;

            // Where stored pixel (x, y) is seen (EXIF 2.32, tag 0x0112: where row 0 and column 0 are seen).
            var (u, v) = orientation switch
            {
                2 => (width - 1 - x, y),
                3 => (width - 1 - x, height - 1 - y),
                4 => (x, height - 1 - y),
                5 => (y, x),
                6 => (height - 1 - y, x),
                7 => (height - 1 - y, width - 1 - x),
                8 => (y, width - 1 - x),
                _ => (x, y),
            };
            var pixel = upright.AsSpan(((v * UprightWidth) + u) * 4, 4);
            for (var channel = 0; channel < 3; channel++)
            {
                // Premultiplied colour over white: c + (1 − α)·255.
                pixel[channel] = (byte)Math.Min(255u, ((sum[channel] + (count / 2)) / count) + 255 - alpha);
            }

            pixel[3] = 255;
        }

        sums.AsSpan().Clear();
        targetRow = -1;
    }

    private int TargetRow(int y) => (int)((long)y * height / sourceHeight);
}

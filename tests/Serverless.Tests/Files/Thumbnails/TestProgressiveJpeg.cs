namespace Serverless.Tests.Files.Thumbnails;

/// <summary>
/// A progressive JPEG encoder, small because it only needs to be correct: YCbCr without subsampling (4:4:4, the
/// layout that costs libjpeg-turbo most memory to decode progressively), one flat quantiser, spectral selection
/// only (a DC scan of all three components, then one AC scan 1–63 per component, no successive approximation), and
/// Huffman tables of fixed-length codes (4 bits for the 12 DC categories, 8 bits for the 162 AC symbols): valid,
/// not optimal. SkiaSharp's encoder writes only baseline JPEGs.
/// </summary>
internal static class TestProgressiveJpeg
{
    private const int Quantiser = 4;

    private static readonly int[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    private static readonly double[,] Cosines = MakeCosines();

    /// <summary>The AC symbols in code order: end of block, sixteen zeros, then run/size for every run and size 1–10.</summary>
    private static readonly byte[] AcSymbols = [0x00, 0xF0, .. Enumerable.Range(0, 16).SelectMany(run => Enumerable.Range(1, 10).Select(size => (byte)((run << 4) | size)))];

    /// <param name="rgba">Opaque RGBA pixels, row by row.</param>
    public static byte[] Encode(byte[] rgba, int width, int height)
    {
        var blocksWide = (width + 7) / 8;
        var blocksHigh = (height + 7) / 8;
        var coefficients = new short[3][];
        for (var component = 0; component < 3; component++)
        {
            coefficients[component] = new short[blocksWide * blocksHigh * 64];
        }

        var samples = new double[3][];
        for (var component = 0; component < 3; component++)
        {
            samples[component] = new double[64];
        }

        for (var by = 0; by < blocksHigh; by++)
        {
            for (var bx = 0; bx < blocksWide; bx++)
            {
                for (var i = 0; i < 64; i++)
                {
                    var x = Math.Min((bx * 8) + (i % 8), width - 1); // the edge repeated into the padding
                    var y = Math.Min((by * 8) + (i / 8), height - 1);
                    var at = ((y * width) + x) * 4;
                    double r = rgba[at], g = rgba[at + 1], b = rgba[at + 2];
                    samples[0][i] = (0.299 * r) + (0.587 * g) + (0.114 * b) - 128;
                    samples[1][i] = (-0.168736 * r) - (0.331264 * g) + (0.5 * b);
                    samples[2][i] = (0.5 * r) - (0.418688 * g) - (0.081312 * b);
                }

                var block = ((by * blocksWide) + bx) * 64;
                for (var component = 0; component < 3; component++)
                {
                    ForwardDct(samples[component], coefficients[component].AsSpan(block, 64));
                }
            }
        }

        var output = new List<byte>();
        Marker(output, 0xD8);
        Segment(output, 0xE0, [.. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        Segment(output, 0xDB, [0x00, .. Enumerable.Repeat((byte)Quantiser, 64)]);
        Segment(output, 0xC2, [8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3, 1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0]);
        Segment(output, 0xC4, [0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .. Enumerable.Range(0, 12).Select(category => (byte)category)]);
        Segment(output, 0xC4, [0x10, 0, 0, 0, 0, 0, 0, 0, (byte)AcSymbols.Length, 0, 0, 0, 0, 0, 0, 0, 0, .. AcSymbols]);

        // The DC scan: every component, interleaved (one block of each per MCU), coefficient 0 only.
        Segment(output, 0xDA, [3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 0, 0]);
        var bits = new BitWriter(output);
        var previous = new int[3];
        for (var block = 0; block < blocksWide * blocksHigh; block++)
        {
            for (var component = 0; component < 3; component++)
            {
                int dc = coefficients[component][block * 64];
                var (category, extra) = Category(dc - previous[component]);
                previous[component] = dc;
                bits.Write(category, 4);
                bits.Write(extra, category);
            }
        }

        bits.Flush();

        // One AC scan per component: coefficients 1–63 in zigzag order; an end of block is a run of one block.
        var acCode = new int[256];
        for (var i = 0; i < AcSymbols.Length; i++)
        {
            acCode[AcSymbols[i]] = i;
        }

        for (var component = 0; component < 3; component++)
        {
            Segment(output, 0xDA, [1, (byte)(component + 1), 0x00, 1, 63, 0]);
            bits = new BitWriter(output);
            for (var block = 0; block < blocksWide * blocksHigh; block++)
            {
                var zeros = 0;
                for (var k = 1; k < 64; k++)
                {
                    int value = coefficients[component][(block * 64) + ZigZag[k]];
                    if (value == 0)
                    {
                        zeros++;
                        continue;
                    }

                    for (; zeros > 15; zeros -= 16)
                    {
                        bits.Write(acCode[0xF0], 8);
                    }

                    var (category, extra) = Category(value);
                    bits.Write(acCode[(zeros << 4) | category], 8);
                    bits.Write(extra, category);
                    zeros = 0;
                }

                if (zeros > 0)
                {
                    bits.Write(acCode[0x00], 8);
                }
            }

            bits.Flush();
        }

        Marker(output, 0xD9);
        return [.. output];
    }

    private static void ForwardDct(double[] samples, Span<short> output)
    {
        if (samples.AsSpan().IndexOfAnyExcept(samples[0]) < 0)
        {
            output[0] = (short)Math.Round(samples[0] * 8 / Quantiser); // a flat block (most of a test image): only DC, 8 × the mean
            return;
        }

        Span<double> rows = stackalloc double[64];
        for (var y = 0; y < 8; y++)
        {
            for (var u = 0; u < 8; u++)
            {
                double sum = 0;
                for (var x = 0; x < 8; x++)
                {
                    sum += samples[(y * 8) + x] * Cosines[u, x];
                }

                rows[(y * 8) + u] = sum;
            }
        }

        for (var u = 0; u < 8; u++)
        {
            for (var v = 0; v < 8; v++)
            {
                double sum = 0;
                for (var y = 0; y < 8; y++)
                {
                    sum += rows[(y * 8) + u] * Cosines[v, y];
                }

                output[(v * 8) + u] = (short)Math.Round(sum / Quantiser);
            }
        }
    }

    /// <summary>C(u)/2 · cos((2x+1)uπ/16): the 8-point DCT of JPEG, applied along rows then columns.</summary>
    private static double[,] MakeCosines()
    {
        var cosines = new double[8, 8];
        for (var u = 0; u < 8; u++)
        {
            for (var x = 0; x < 8; x++)
            {
                cosines[u, x] = (u == 0 ? Math.Sqrt(0.5) : 1) / 2 * Math.Cos(((2 * x) + 1) * u * Math.PI / 16);
            }
        }

        return cosines;
    }

    /// <summary>A value's magnitude category and the bits that follow its code (negative values as value − 1).</summary>
    private static (int Category, int Extra) Category(int value)
    {
        var magnitude = Math.Abs(value);
        var category = 0;
        while (magnitude >> category != 0)
        {
            category++;
        }

        return (category, value >= 0 ? value : value + (1 << category) - 1);
    }

    private static void Marker(List<byte> output, byte marker) => output.AddRange([0xFF, marker]);

    private static void Segment(List<byte> output, byte marker, byte[] body)
    {
        Marker(output, marker);
        output.AddRange([(byte)((body.Length + 2) >> 8), (byte)(body.Length + 2), .. body]);
    }

    private sealed class BitWriter(List<byte> output)
    {
        private int buffer;
        private int count;

        public void Write(int value, int length)
        {
            for (var bit = length - 1; bit >= 0; bit--)
            {
                buffer = (buffer << 1) | ((value >> bit) & 1);
                if (++count == 8)
                {
                    Emit();
                }
            }
        }

        /// <summary>Pads the last byte with ones, as the standard asks.</summary>
        public void Flush()
        {
            while (count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.Add((byte)buffer);
            if (buffer == 0xFF)
            {
                output.Add(0x00); // a stuffed zero: 0xFF in entropy-coded data is not a marker
            }

            buffer = 0;
            count = 0;
        }
    }
}

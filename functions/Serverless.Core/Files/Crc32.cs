namespace Serverless.Files;

/// <summary>CRC-32 (ISO 3309, as PNG chunks and zip entries use it), computed as bytes pass. The framework keeps its
/// own internal; a table is twenty lines, so no package for it.</summary>
internal struct Crc32
{
    private static readonly uint[] Table = BuildTable();

    private uint state;

    public Crc32() => state = 0xFFFFFFFFu;

    public readonly uint Value => state ^ 0xFFFFFFFFu;

    public void Append(ReadOnlySpan<byte> data)
    {
        var crc = state;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        state = crc;
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = new Crc32();
        crc.Append(data);
        return crc.Value;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}

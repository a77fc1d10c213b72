namespace Serverless.Files.Jpeg;

/// <summary>
/// Walks a JPEG from SOI to EOI, one segment at a time: each marker segment's body is read into one buffer (a
/// segment is at most 64 KiB), entropy-coded data is only scanned for its end (stuffed bytes and restart markers
/// stay inside it). Anything that does not parse stops the walk with <see cref="Damaged"/> set.
/// </summary>
internal sealed class JpegReader(ByteReader reader)
{
    private readonly byte[] body = new byte[65535];
    private bool started;
    private bool afterScan;

    public bool Damaged { get; private set; }

    public bool ReachedEnd { get; private set; }

    /// <summary>The body of the last marker segment returned (after its length field).</summary>
    public ReadOnlySpan<byte> Body => body.AsSpan(0, BodyLength);

    public int BodyLength { get; private set; }

    /// <summary>Where the bytes after EOI start: data the file carries past its image.</summary>
    public long EndOfImage { get; private set; }

    public bool TryNext(out JpegSegment segment)
    {
        segment = default;
        BodyLength = 0;
        if (Damaged || ReachedEnd)
        {
            return false;
        }

        if (!started)
        {
            started = true;
            if (reader.ReadByte() != 0xFF || reader.ReadByte() != JpegSegment.Soi)
            {
                return Fail();
            }

            segment = new JpegSegment(JpegSegment.Soi, 0, 2);
            return true;
        }

        if (afterScan)
        {
            afterScan = false;
            return TryEntropyCoded(out segment);
        }

        var offset = reader.Position;
        if (reader.ReadByte() != 0xFF)
        {
            return Fail();
        }

        int marker;
        while ((marker = reader.ReadByte()) == 0xFF)
        {
            offset = reader.Position - 1; // fill bytes before a marker belong to no segment
        }

        switch (marker)
        {
            case JpegSegment.Eoi:
                ReachedEnd = true;
                EndOfImage = reader.Position;
                segment = new JpegSegment(JpegSegment.Eoi, offset, 2);
                return true;
            case < 0 or 0x00 or 0x01 or JpegSegment.Soi or (>= 0xD0 and <= 0xD7):
                return Fail(); // end of file, a stuffed zero, TEM, a second SOI or a restart outside a scan
        }

        if (!reader.TryReadUInt16BigEndian(out var length) || length < 2 || !reader.TryRead(body.AsSpan(0, length - 2)))
        {
            return Fail();
        }

        BodyLength = length - 2;
        segment = new JpegSegment((byte)marker, offset, 2 + length);
        afterScan = marker == JpegSegment.Sos;
        return true;
    }

    private bool TryEntropyCoded(out JpegSegment segment)
    {
        var start = reader.Position;
        while (true)
        {
            var b = reader.ReadByte();
            if (b < 0)
            {
                segment = default;
                return Fail();
            }

            if (b != 0xFF)
            {
                continue;
            }

            var next = reader.PeekByte();
            if (next == 0x00 || next is >= 0xD0 and <= 0xD7)
            {
                reader.ReadByte(); // a stuffed 0xFF or a restart marker: still data
                continue;
            }

            // A marker (or fill bytes before one) ends the scan's data.
            var end = reader.Position - 1;
            reader.Seek(end);
            segment = new JpegSegment(JpegSegment.EntropyCoded, start, end - start);
            return true;
        }
    }

    private bool Fail()
    {
        Damaged = true;
        return false;
    }
}

namespace Serverless.Files.Jpeg;

/// <summary>One piece of a JPEG file: a marker segment (the marker, its length field and its body) or, with
/// <see cref="Marker"/> <see cref="EntropyCoded"/>, the entropy-coded data that follows a start of scan.</summary>
internal readonly record struct JpegSegment(byte Marker, long Offset, long Length)
{
    public const byte EntropyCoded = 0x00;
    public const byte Soi = 0xD8;
    public const byte Eoi = 0xD9;
    public const byte Sos = 0xDA;
    public const byte App0 = 0xE0;
    public const byte App1 = 0xE1;
    public const byte App2 = 0xE2;
    public const byte App13 = 0xED;
    public const byte App14 = 0xEE;
    public const byte Com = 0xFE;

    public bool IsApp => Marker is >= 0xE0 and <= 0xEF;

    /// <summary>Start of frame, any kind (C4 DHT, C8 JPG and CC DAC are not frames).</summary>
    public bool IsStartOfFrame => Marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC;
}

using Serverless.Files.Exif;

namespace Serverless.Files.Jpeg;

/// <summary>
/// Writes a JPEG's copy without identifying metadata, never re-encoding it: the frame, tables, scans and their
/// entropy-coded data are copied byte for byte, so the pixels stay as taken.
/// Kept: APP0 JFIF, APP2 ICC profile, APP14 Adobe (its colour transform changes how pixels decode) and a new EXIF
/// with only Orientation and the capture time. Gone: the rest of EXIF (GPS, maker notes, serial numbers,
/// thumbnail), XMP, IPTC and other Photoshop resources, comments, every other APPn, and all bytes after EOI.
/// </summary>
internal static class JpegCleaner
{
    private static ReadOnlySpan<byte> ExifHeader => "Exif\0\0"u8;

    public static void Clean(Stream input, ByteReader reader, Stream output, ISet<string> removed)
    {
        var jpeg = new JpegReader(reader);
        var exifDone = false;
        while (jpeg.TryNext(out var segment))
        {
            switch (segment.Marker)
            {
                case JpegSegment.Soi:
                    output.Write([0xFF, JpegSegment.Soi]);
                    break;
                case JpegSegment.Eoi:
                    output.Write([0xFF, JpegSegment.Eoi]);
                    break;
                case JpegSegment.EntropyCoded:
                    using (var data = new RangeStream(input, segment.Offset, segment.Length))
                    {
                        data.CopyTo(output);
                    }

                    break;
                case JpegSegment.App1 when jpeg.Body.StartsWith(ExifHeader):
                    if (exifDone)
                    {
                        removed.Add(PhotoMetadata.ExifOther);
                        break;
                    }

                    exifDone = true;
                    var kept = ExifWhitelist.Read(jpeg.Body[ExifHeader.Length..], removed);
                    if (!kept.IsEmpty)
                    {
                        byte[] body = [.. ExifHeader, .. ExifWhitelist.Write(kept)];
                        WriteSegment(output, JpegSegment.App1, body);
                    }

                    break;
                case JpegSegment.App1 when jpeg.Body.StartsWith("http://ns.adobe.com/"u8):
                    removed.Add(PhotoMetadata.Xmp); // XMP and extended XMP
                    break;
                case JpegSegment.App13:
                    removed.Add(PhotoMetadata.Iptc);
                    break;
                case JpegSegment.Com:
                    removed.Add(PhotoMetadata.Comment);
                    break;
                case JpegSegment.App0 when jpeg.Body.StartsWith("JFIF\0"u8) || jpeg.Body.StartsWith("JFXX\0"u8):
                case JpegSegment.App2 when jpeg.Body.StartsWith("ICC_PROFILE\0"u8):
                case JpegSegment.App14 when jpeg.Body.StartsWith("Adobe"u8):
                    WriteSegment(output, segment.Marker, jpeg.Body);
                    break;
                default:
                    if (segment.IsApp)
                    {
                        removed.Add(PhotoMetadata.Other);
                    }
                    else
                    {
                        WriteSegment(output, segment.Marker, jpeg.Body); // tables, frame, scan headers, restart interval
                    }

                    break;
            }
        }

        if (!jpeg.ReachedEnd)
        {
            throw new InvalidDataException("The JPEG does not parse; inspect a file before cleaning it.");
        }

        if (jpeg.EndOfImage < reader.Length)
        {
            removed.Add(PhotoMetadata.TrailingData);
        }
    }

    private static void WriteSegment(Stream output, byte marker, ReadOnlySpan<byte> body)
    {
        var length = body.Length + 2;
        output.Write([0xFF, marker, (byte)(length >> 8), (byte)length]);
        output.Write(body);
    }
}

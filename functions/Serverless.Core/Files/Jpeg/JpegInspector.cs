namespace Serverless.Files.Jpeg;

/// <summary>A JPEG is accepted when it parses from SOI to EOI with one Huffman-coded frame (baseline, extended or
/// progressive: what cameras and phones write and every browser decodes) and at least one scan. Bytes after EOI do
/// not make it refused: phones put motion-photo videos and secondary images there, so the cleaner cuts them off.</summary>
internal static class JpegInspector
{
    public static FileInspection Inspect(ByteReader reader, long maxPixels)
    {
        var jpeg = new JpegReader(reader);
        var frame = false;
        var scan = false;
        while (jpeg.TryNext(out var segment))
        {
            if (segment.IsStartOfFrame)
            {
                if (frame || jpeg.BodyLength < 6)
                {
                    return FileInspection.Refuse(FileRejections.Damaged);
                }

                if (segment.Marker is not (0xC0 or 0xC1 or 0xC2))
                {
                    return FileInspection.Refuse(FileRejections.UnsupportedType); // lossless, hierarchical or arithmetic-coded
                }

                var height = (jpeg.Body[1] << 8) | jpeg.Body[2];
                var width = (jpeg.Body[3] << 8) | jpeg.Body[4];
                if (height == 0 || width == 0)
                {
                    return FileInspection.Refuse(FileRejections.Damaged);
                }

                if ((long)height * width > maxPixels)
                {
                    return new FileInspection.Rejected(ImageLimits.TooLarge(maxPixels));
                }

                frame = true;
            }
            else if (segment.Marker == JpegSegment.Sos)
            {
                if (!frame)
                {
                    return FileInspection.Refuse(FileRejections.Damaged);
                }

                scan = true;
            }
        }

        return jpeg.ReachedEnd && scan ? new FileInspection.Accepted(FileType.Jpeg) : FileInspection.Refuse(FileRejections.Damaged);
    }
}

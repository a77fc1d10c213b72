using System.Buffers.Binary;

namespace Serverless.Files.Png;

/// <summary>A PNG is accepted when its chunks parse with correct CRCs from IHDR to IEND in the order the standard
/// sets, and it uses no critical chunk a browser would not know. Bytes after IEND are cut off by the cleaner.</summary>
internal static class PngInspector
{
    public static FileInspection Inspect(ByteReader reader, long maxPixels)
    {
        var png = new PngReader(reader);
        var first = true;
        var palette = false;
        var colourType = -1;
        var dataSeen = false;
        var dataEnded = false;
        while (png.TryNext(out var chunk))
        {
            if (first)
            {
                first = false;
                if (chunk.Type != "IHDR" || chunk.DataLength != 13)
                {
                    return FileInspection.Refuse(FileRejections.Damaged);
                }

                var width = BinaryPrimitives.ReadUInt32BigEndian(png.Data);
                var height = BinaryPrimitives.ReadUInt32BigEndian(png.Data[4..]);
                colourType = png.Data[9];
                if (width is 0 or > int.MaxValue || height is 0 or > int.MaxValue || colourType is not (0 or 2 or 3 or 4 or 6)
                    || png.Data[10] != 0 || png.Data[11] != 0 || png.Data[12] > 1)
                {
                    return FileInspection.Refuse(FileRejections.Damaged);
                }

                if ((long)width * height > maxPixels)
                {
                    return new FileInspection.Rejected(ImageLimits.TooLarge(maxPixels));
                }

                continue;
            }

            switch (chunk.Type)
            {
                case "IHDR":
                    return FileInspection.Refuse(FileRejections.Damaged);
                case "PLTE":
                    if (dataSeen)
                    {
                        return FileInspection.Refuse(FileRejections.Damaged);
                    }

                    palette = true;
                    break;
                case "IDAT":
                    if (dataEnded || (colourType == 3 && !palette))
                    {
                        return FileInspection.Refuse(FileRejections.Damaged); // IDAT chunks must follow each other
                    }

                    dataSeen = true;
                    break;
                case "IEND":
                    if (chunk.DataLength != 0)
                    {
                        return FileInspection.Refuse(FileRejections.Damaged);
                    }

                    break;
                default:
                    if (chunk.IsCritical)
                    {
                        return FileInspection.Refuse(FileRejections.UnsupportedType); // e.g. Apple's CgBI
                    }

                    dataEnded |= dataSeen;
                    break;
            }
        }

        return png.ReachedEnd && dataSeen ? new FileInspection.Accepted(FileType.Png) : FileInspection.Refuse(FileRejections.Damaged);
    }
}

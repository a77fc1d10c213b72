namespace Serverless.Files;

/// <summary>What cleaning took out of a photo, named for the audit and the entry ("位置情報を削除しました"). Stable
/// names: tests and stored results use them.</summary>
public static class PhotoMetadata
{
    /// <summary>The GPS part of EXIF: where the photo was taken.</summary>
    public const string ExifGps = "exif-gps";

    /// <summary>The camera maker's private EXIF block (serial numbers, sometimes location and faces).</summary>
    public const string ExifMakerNote = "exif-maker-note";

    /// <summary>The embedded preview image, which keeps the picture as it was before any crop or blur.</summary>
    public const string ExifThumbnail = "exif-thumbnail";

    /// <summary>Any other EXIF tag: camera and lens, their serial numbers, owner, software, unique image id.</summary>
    public const string ExifOther = "exif-other";

    /// <summary>XMP, where location, people and edit history are written (JPEG APP1, extended XMP, PNG iTXt).</summary>
    public const string Xmp = "xmp";

    /// <summary>IPTC and other Photoshop resources (JPEG APP13): city, address, captions, keywords.</summary>
    public const string Iptc = "iptc";

    /// <summary>JPEG comment segments.</summary>
    public const string Comment = "comment";

    /// <summary>PNG text chunks (tEXt, zTXt, iTXt other than XMP).</summary>
    public const string Text = "text";

    /// <summary>PNG's last-modification time.</summary>
    public const string Time = "time";

    /// <summary>Any other application segment or ancillary chunk (multi-picture indexes, vendor blocks).</summary>
    public const string Other = "other";

    /// <summary>Bytes after the end of the image: motion-photo videos, secondary images, or whatever was hidden there.</summary>
    public const string TrailingData = "trailing-data";
}

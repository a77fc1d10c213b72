namespace Serverless.Files.Exif;

/// <summary>The only EXIF a stored photo keeps: how to turn it upright and when it was taken (with its offset from
/// UTC and fractions of a second). Everything else, from GPS to the camera's serial number, is left behind.</summary>
internal sealed record ExifKept(int? Orientation, string? DateTimeOriginal, string? OffsetTimeOriginal, string? SubSecTimeOriginal)
{
    public static readonly ExifKept None = new(null, null, null, null);

    public bool IsEmpty => Orientation is null && DateTimeOriginal is null && OffsetTimeOriginal is null && SubSecTimeOriginal is null;
}

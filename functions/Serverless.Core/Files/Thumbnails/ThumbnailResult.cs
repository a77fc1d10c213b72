namespace Serverless.Files.Thumbnails;

/// <summary>What making a photo's thumbnail came to.</summary>
public abstract record ThumbnailResult
{
    /// <summary>A JPEG of <paramref name="Width"/> × <paramref name="Height"/> pixels (upright), <paramref name="Length"/>
    /// bytes, was written to the destination.</summary>
    public sealed record Made(int Width, int Height, long Length) : ThumbnailResult;

    /// <summary>Nothing was written. <paramref name="Reason"/> is one of the <see cref="Thumbnail"/> keys.</summary>
    public sealed record NotMade(string Reason) : ThumbnailResult;
}

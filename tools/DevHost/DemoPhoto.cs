using SkiaSharp;

namespace Serverless.DevHost;

/// <summary>A stand-in for a record photo in the demo data: a plain drawing, nothing real, as a phone's JPEG would arrive.</summary>
public static class DemoPhoto
{
    public static byte[] Jpeg()
    {
        var info = new SKImageInfo(1200, 900);
        using var surface = SKSurface.Create(info);
        var canvas = surface.Canvas;
        canvas.Clear(new SKColor(0xE8, 0xE4, 0xDC));
        using (var paint = new SKPaint { Color = new SKColor(0xC9, 0xB8, 0x9E), IsAntialias = true })
        {
            canvas.DrawRoundRect(new SKRect(300, 250, 900, 650), 120, 120, paint);
        }

        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 85);
        return data.ToArray();
    }
}

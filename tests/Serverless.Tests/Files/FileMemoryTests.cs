using Microsoft.Extensions.Options;
using Serverless.Files;
using Xunit.Abstractions;

namespace Serverless.Tests.Files;

[CollectionDefinition(nameof(FileMemoryTests), DisableParallelization = true)]
public sealed class FileMemoryCollection;

/// <summary>Validation streams: what it allocates does not grow with the file. Counted as bytes allocated by the
/// whole process while nothing else runs (this collection runs alone), which bounds the peak from above.</summary>
[Collection(nameof(FileMemoryTests))]
public sealed class FileMemoryTests(ITestOutputHelper output)
{
    private const long Budget = 4 * 1024 * 1024;

    [Fact]
    public async Task ValidatingAndCleaningATwentyMegabytePhotoAllocatesLessThanFourMegabytes()
    {
        var photo = TestPhotos.PhoneJpeg(TestPhotos.Jpeg(4800, 3500, quality: 100, seed: 7));
        Assert.True(photo.Length > 16 * 1024 * 1024, $"the test photo is {photo.Length} bytes");

        var allocated = await AllocatedAsync(photo, stored => Assert.IsType<FileValidation.Accepted>(stored));

        output.WriteLine($"{allocated} bytes allocated for a {photo.Length}-byte photo");
        Assert.True(allocated < Budget, $"{allocated} bytes allocated for a {photo.Length}-byte photo");
    }

    [Fact]
    public async Task ValidatingATwentyMegabytePdfAllocatesLessThanFourMegabytes()
    {
        var random = new Random(3);
        var image = new byte[20 * 1024 * 1024];
        random.NextBytes(image);
        var letter = TestPdfs.Letter();
        var start = System.Text.Encoding.ASCII.GetBytes($"%PDF-1.7\n1 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode /Length {image.Length} >>\nstream\n");
        byte[] pdf = [.. start, .. image, .. "\nendstream\nendobj\n"u8, .. letter[9..]];

        var allocated = await AllocatedAsync(pdf, stored => Assert.IsType<FileValidation.Accepted>(stored));

        output.WriteLine($"{allocated} bytes allocated for a {pdf.Length}-byte PDF");
        Assert.True(allocated < Budget, $"{allocated} bytes allocated for a {pdf.Length}-byte PDF");
    }

    private static async Task<long> AllocatedAsync(byte[] content, Action<FileValidation> check)
    {
        var validator = new FileValidator(new FileInspector(), new PhotoCleaner(), Options.Create(new FilesOptions()));
        await validator.ValidateAsync(new MemoryStream(TestPhotos.Jpeg()), UploadRoute.Direct, null, Stream.Null); // warm up: JIT, pools
        var before = GC.GetTotalAllocatedBytes(precise: true);
        var validation = await validator.ValidateAsync(new ForwardOnlyStream(content), UploadRoute.Direct, content.Length, Stream.Null);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        check(validation);
        return allocated;
    }
}

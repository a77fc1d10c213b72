using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Serverless.Files;
using Serverless.Problems;

namespace Serverless.Tests.Files;

/// <summary>The whole validation of a received file: the size limit before and while reading, the hashes as
/// received and as stored, and nothing written for a refused file.</summary>
public sealed class FileValidatorTests
{
    private static FileValidator Validator(long functionPath = 25 * FilesOptions.Megabyte, long direct = 100 * FilesOptions.Megabyte) =>
        new(new FileInspector(), new PhotoCleaner(), Options.Create(new FilesOptions { MaxFunctionPathBytes = functionPath, MaxDirectBytes = direct }));

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Fact]
    public async Task APdfIsStoredAsReceivedWithBothHashesEqual()
    {
        var pdf = TestPdfs.Letter();
        using var stored = new MemoryStream();

        var validation = Assert.IsType<FileValidation.Accepted>(await Validator().ValidateAsync(new ForwardOnlyStream(pdf), UploadRoute.FunctionPath, null, stored));

        var digest = new FileDigest(pdf.Length, Sha256(pdf));
        Assert.Equal(FileType.Pdf, validation.Type);
        Assert.Equal(digest, validation.Received);
        Assert.Equal(digest, validation.Stored);
        Assert.Empty(validation.Removed);
        Assert.Equal(pdf, stored.ToArray());
    }

    [Fact]
    public async Task APhotoIsStoredCleanedWithTheHashOfEachVersion()
    {
        var photo = TestPhotos.PhoneJpeg();
        using var stored = new MemoryStream();

        var validation = Assert.IsType<FileValidation.Accepted>(await Validator().ValidateAsync(new ForwardOnlyStream(photo), UploadRoute.Direct, photo.Length, stored));

        var cleaned = stored.ToArray();
        Assert.Equal(FileType.Jpeg, validation.Type);
        Assert.Equal(new FileDigest(photo.Length, Sha256(photo)), validation.Received);
        Assert.Equal(new FileDigest(cleaned.Length, Sha256(cleaned)), validation.Stored);
        Assert.NotEqual(validation.Received.Sha256, validation.Stored.Sha256);
        Assert.Contains(PhotoMetadata.ExifGps, validation.Removed);
    }

    [Fact]
    public async Task ARefusedFileWritesNothingAndReportsWhatWasReceived()
    {
        var html = System.Text.Encoding.UTF8.GetBytes(TestPhotos.Html);
        using var stored = new MemoryStream();

        var validation = Assert.IsType<FileValidation.Rejected>(await Validator().ValidateAsync(new ForwardOnlyStream(html), UploadRoute.FunctionPath, null, stored));

        Assert.Equal(new FileRejection(FileRejections.UnsupportedType), validation.Rejection);
        Assert.Equal(new FileDigest(html.Length, Sha256(html)), validation.Received);
        Assert.Equal(0, stored.Length);
    }

    [Fact]
    public async Task ADeclaredLengthFarBeyondTheLimitIsRefusedWithoutReadingAByte()
    {
        var sender = new EndlessStream(10L * 1024 * 1024 * 1024);
        using var stored = new MemoryStream();

        var validation = Assert.IsType<FileValidation.Rejected>(await Validator().ValidateAsync(sender, UploadRoute.FunctionPath, 10L * 1024 * 1024 * 1024, stored));

        Assert.Equal(FileRejections.TooLarge, validation.Rejection.Reason);
        Assert.Equal("ファイルが大きすぎます。上限は25MBです。写真は1枚ずつ、文書はページを分けて送ってください。", validation.Rejection.Message(ProblemLanguage.Japanese));
        Assert.Equal("The file is too large: the limit is 25 MB. Send photos one at a time, and split documents into parts.", validation.Rejection.Message(ProblemLanguage.English));
        Assert.Null(validation.Received);
        Assert.Equal(0, sender.BytesRead);
        Assert.Equal(0, stored.Length);
    }

    [Fact]
    public async Task AStreamLongerThanItDeclaredIsRefusedOneBytePastTheLimit()
    {
        // Declares 1 KB, sends 10 GB: reading stops as soon as the limit (1 MB here) is crossed.
        var sender = new EndlessStream(10L * 1024 * 1024 * 1024);
        using var stored = new MemoryStream();

        var validation = Assert.IsType<FileValidation.Rejected>(await Validator(functionPath: FilesOptions.Megabyte).ValidateAsync(sender, UploadRoute.FunctionPath, 1024, stored));

        Assert.Equal(FileRejections.TooLarge, validation.Rejection.Reason);
        Assert.Equal(FilesOptions.Megabyte + 1, sender.BytesRead);
        Assert.Equal(0, stored.Length);
    }

    [Fact]
    public async Task AFileOfExactlyTheLimitIsReadAndInspected()
    {
        var sender = new EndlessStream(FilesOptions.Megabyte);

        var validation = Assert.IsType<FileValidation.Rejected>(await Validator(functionPath: FilesOptions.Megabyte).ValidateAsync(sender, UploadRoute.FunctionPath, null, new MemoryStream()));

        Assert.Equal(FileRejections.Damaged, validation.Rejection.Reason); // a JPEG start and zeros: inspected, not too large
        Assert.Equal(FilesOptions.Megabyte, sender.BytesRead);
    }

    [Fact]
    public void EachRouteHasItsOwnLimit()
    {
        var validator = Validator();

        Assert.Equal(25L * 1024 * 1024, validator.LimitOf(UploadRoute.FunctionPath));
        Assert.Equal(100L * 1024 * 1024, validator.LimitOf(UploadRoute.Direct));
    }
}

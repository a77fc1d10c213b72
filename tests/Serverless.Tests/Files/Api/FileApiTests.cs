using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Serverless.Files.Validation;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Files.Api;

/// <summary>
/// Files through the API: uploaded by those who may add an entry, validated from the queue, seen by exactly those who see
/// their entry, downloaded as an attachment that never runs, in a range when asked.
/// </summary>
public sealed class FileApiTests
{
    [Fact]
    public async Task APhotoSentRawIsQuarantinedThenValidatedAndDownloadsWithoutItsLocation()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var photo = TestPhotos.PhoneJpeg();

        using var sent = await api.UploadAsync(caseId, photo, "けがの写真.jpg", Teacher);
        var accepted = await CaseApi.BodyAsync(sent);
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, accepted.ToJsonString());
        var fileId = (string)accepted["fileId"]!;
        Assert.Matches("^a[0-9a-z]{26}$", fileId);
        Assert.Equal("quarantined", (string)accepted["state"]!);
        Assert.Equal("けがの写真.jpg", (string)accepted["name"]!);
        Assert.Equal($"/api/cases/{caseId}/files/{fileId}", sent.Headers.Location!.OriginalString);

        Assert.Equal(Serverless.Files.Storage.FileState.Ready, await api.ValidateAsync(caseId, fileId));
        var file = await GetBody(api, caseId, fileId, Teacher);
        Assert.Equal("ready", (string)file["state"]!);
        Assert.Equal("image/jpeg", (string)file["contentType"]!);
        Assert.Equal(Sha256(photo), (string)file["sha256"]!["received"]!);
        Assert.NotEqual(Sha256(photo), (string)file["sha256"]!["stored"]!);
        Assert.Contains("exif-gps", file["removedMetadata"]!.AsArray().Select(item => (string)item!));
        Assert.Equal(photo.Length, (long)file["receivedSize"]!);

        using var download = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", Teacher);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal((string)file["sha256"]!["stored"]!, Sha256(bytes));
        Assert.Equal((long)file["size"]!, bytes.Length);
        Assert.Equal("image/jpeg", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment; filename=\"file.jpg\"; filename*=UTF-8''%E3%81%91%E3%81%8C%E3%81%AE%E5%86%99%E7%9C%9F.jpg", download.Content.Headers.ContentDisposition!.ToString());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("sandbox; default-src 'none'", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-store", download.Headers.CacheControl!.ToString());
        Assert.Equal("bytes", download.Headers.AcceptRanges.Single());
        Assert.DoesNotContain("GPS", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APhotoHasASmallThumbnailWithoutMetadataAndADocumentHasNone()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var photoId = await api.UploadIdAsync(caseId, TestPhotos.PhoneJpeg(TestPhotos.Jpeg(800, 600)), "腕.jpg", Teacher);
        var letterId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "letter.pdf", Teacher);
        await api.ValidateAsync(caseId, photoId);
        await api.ValidateAsync(caseId, letterId);

        using var thumbnail = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{photoId}/thumbnail", Teacher);
        var bytes = await thumbnail.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", thumbnail.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("sandbox; default-src 'none'", thumbnail.Headers.GetValues("Content-Security-Policy").Single());
        using (var decoded = SkiaSharp.SKBitmap.Decode(bytes))
        {
            Assert.Equal((240, 320), (decoded.Width, decoded.Height)); // upright: the phone's Orientation tag (6) turns it
        }

        Assert.DoesNotContain(TestPhotos.SegmentsBeforeScan(bytes), segment => segment.Marker is 0xE1 or 0xED or 0xFE);
        Assert.True((bool)(await GetBody(api, caseId, photoId, Teacher))["thumbnail"]!);
        Assert.Null((await GetBody(api, caseId, letterId, Teacher))["thumbnail"]);
        using var none = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{letterId}/thumbnail", Teacher);
        await CaseApi.ProblemAsync(none, ProblemCatalogue.FileNotReady);
    }

    [Fact]
    public async Task AMultipartFormUploadKeepsItsJapaneseFileName()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("メモ"), "note");
        var part = new ByteArrayContent(TestPdfs.Letter());
        part.Headers.ContentType = new MediaTypeHeaderValue("text/html"); // declared types are ignored
        form.Add(part, "file", "診断書 2025年6月.pdf");

        using var sent = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files", Nurse, form);
        var accepted = await CaseApi.BodyAsync(sent);
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, accepted.ToJsonString());
        var fileId = (string)accepted["fileId"]!;
        await api.ValidateAsync(caseId, fileId);

        var file = await GetBody(api, caseId, fileId, Nurse);
        Assert.Equal("診断書 2025年6月.pdf", (string)file["name"]!);
        Assert.Equal("application/pdf", (string)file["contentType"]!);
        Assert.Equal("診断書 2025年6月.pdf", (string)file["downloadName"]!);
        Assert.Equal(Sha256(TestPdfs.Letter()), (string)file["sha256"]!["stored"]!); // only photos are changed
    }

    [Fact]
    public async Task AMultipartBodyWithoutAFilePartIsRefusedNamingTheField()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        using var form = new MultipartFormDataContent { { new StringContent("x"), "note" } };

        using var sent = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files", Teacher, form);

        await CaseApi.ValidationErrorsAsync(sent, ("file", "required"));
        Assert.Empty(await Listed(api, caseId, CaseApi.Coordinator));
    }

    /// <summary>Found by the OpenAPI fuzz (FUZZ_SEED=7 FUZZ_REQUESTS=6000, request 4911): a raw file sent as multipart
    /// whose body never reaches its boundary made the multipart reader throw IOException, answered 500.</summary>
    [Theory]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("multipart/form-data; boundary=\"--a b\"")]
    public async Task AMultipartBodyThatNeverReachesItsBoundaryIsRefusedNamingTheField(string contentType)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var body = new ByteArrayContent(TestPdfs.Letter());
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);

        using var sent = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files", Teacher, body);

        await CaseApi.ValidationErrorsAsync(sent, ("file", "required"));
        Assert.Empty(await Listed(api, caseId, CaseApi.Coordinator));
    }

    [Theory]
    [InlineData("html-named-jpg", "unsupported-type")]
    [InlineData("svg", "unsupported-type")]
    [InlineData("pdf-with-javascript", "pdf-active-content")]
    [InlineData("zip-bomb-named-docx", "archive-limits")]
    [InlineData("macro-workbook", "office-macro")]
    public async Task AHostileFileIsRejectedWithAReasonItsUploaderCanReadAndNothingOfItIsKept(string kind, string reason)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var (bytes, name) = Hostile(kind);

        var fileId = await api.UploadIdAsync(caseId, bytes, name, Teacher);
        Assert.Equal(Serverless.Files.Storage.FileState.Rejected, await api.ValidateAsync(caseId, fileId));

        var file = await GetBody(api, caseId, fileId, Teacher);
        Assert.Equal("rejected", (string)file["state"]!);
        Assert.Equal(reason, (string)file["rejection"]!["reason"]!);
        Assert.Equal(new Serverless.Files.FileRejection(reason).Message(ProblemLanguage.Japanese), (string)file["rejection"]!["message"]!);
        Assert.Null(file["contentType"]);
        using var download = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", Teacher);
        await CaseApi.ProblemAsync(download, ProblemCatalogue.FileNotReady);
        Assert.Empty(await BlobsAsync(api, caseId));
    }

    [Fact]
    public async Task AJpegWithHtmlHiddenAfterItIsStoredCutAtItsEndAndNeverServedAsHtml()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        byte[] polyglot = [.. TestPhotos.Jpeg(), .. Encoding.ASCII.GetBytes(TestPhotos.Html)];

        var fileId = await api.UploadIdAsync(caseId, polyglot, "page.html", Teacher);
        await api.ValidateAsync(caseId, fileId);

        using var download = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", Teacher);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal("image/jpeg", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("page.jpg", download.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition.DispositionType);
        Assert.Equal(TestPhotos.Jpeg(), bytes); // cut at EOI: the HTML is gone
    }

    [Theory]
    [InlineData("../../etc/passwd.pdf", "passwd.pdf")]
    [InlineData("報告\u0000書\u0007.pdf", "報告書.pdf")]
    [InlineData("invoice\u202Efdp.exe", "invoicefdp.exe")]
    public async Task AHostileFileNameIsNeutralisedAndTheDownloadNameTakesTheContentsExtension(string uploaded, string kept)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();

        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), uploaded, Teacher);
        await api.ValidateAsync(caseId, fileId);

        var file = await GetBody(api, caseId, fileId, Teacher);
        Assert.Equal(kept, (string)file["name"]!);
        Assert.EndsWith(".pdf", (string)file["downloadName"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("/", (string)file["downloadName"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileNameOf300CharactersIsShortenedKeepingItsExtension()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();

        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), new string('あ', 300) + ".pdf", Teacher);

        var name = (string)(await GetBody(api, caseId, fileId, Teacher))["name"]!;
        Assert.Equal(100, name.Length);
        Assert.EndsWith("あ.pdf", name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("../")]
    [InlineData("\u202E\u0000")]
    public async Task AFileWithoutAUsableNameIsRefusedAndNothingIsStored(string? name)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();

        using var sent = await api.UploadAsync(caseId, TestPdfs.Letter(), name, Teacher);

        var problem = await CaseApi.ProblemAsync(sent, ProblemCatalogue.FileRejected);
        Assert.Equal("name-empty", (string)problem["reason"]!);
        Assert.Equal(new Serverless.Files.FileRejection("name-empty").Message(ProblemLanguage.Japanese), (string)problem["detail"]!);
        Assert.Empty(await Listed(api, caseId, CaseApi.Coordinator));
    }

    [Fact]
    public async Task AnEmptyFileIsRefusedAtOnce()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();

        using var sent = await api.UploadAsync(caseId, [], "empty.pdf", Teacher);

        Assert.Equal("empty", (string)(await CaseApi.ProblemAsync(sent, ProblemCatalogue.FileRejected))["reason"]!);
        Assert.Empty(await Listed(api, caseId, CaseApi.Coordinator));
    }

    [Fact]
    public async Task AFileDeclaredFarBeyondTheLimitIsRefusedBeforeItIsReadAndOneSentWithoutALengthWhenItCrossesIt()
    {
        await using var api = await CaseApi.StartAsync(settings: new Dictionary<string, string> { ["Files:MaxFunctionPathBytes"] = "1048576" });
        var caseId = await api.SharedCaseAsync();

        // With Expect: 100-continue (curl sends it for large bodies) the refusal comes before the body is even sent.
        using var declared = await api.UploadAsync(caseId, new byte[3 * 1024 * 1024], "big.pdf", Teacher, expectContinue: true);
        var problem = await CaseApi.ProblemAsync(declared, ProblemCatalogue.FileTooLarge);
        Assert.Equal("too-large", (string)problem["reason"]!);
        Assert.Contains("1MB", (string)problem["detail"]!, StringComparison.Ordinal);

        // Chunked: no Content-Length to refuse by, so it is counted as it arrives. (Only a little over the limit: the
        // host reads the rest of a body within the route's allowance, so the client gets the answer instead of a reset.)
        var chunked = new StreamContent(new MemoryStream(new byte[(1024 * 1024) + (16 * 1024)]));
        using var counted = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files", Teacher, chunked, request =>
        {
            request.Headers.TransferEncodingChunked = true;
            request.Headers.TryAddWithoutValidation("X-File-Name", "big.pdf");
        });
        await CaseApi.ProblemAsync(counted, ProblemCatalogue.FileTooLarge);

        Assert.Empty(await Listed(api, caseId, CaseApi.Coordinator));
        Assert.Empty(await BlobsAsync(api, caseId));
        Assert.Empty(await PendingAsync(api));
    }

    [Fact]
    public async Task AFormsKeyUploadsAndAttachesWithItsReportAndReadsOnlyTheReceiptOfItsOwnFiles()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var key = await api.KeyAsync(School);
        var otherKey = await api.KeyAsync(School);

        using var sent = await api.UploadAsync(caseId, TestPdfs.Letter(), "欠席連絡.pdf", person: null, key: key);
        var receipt = await CaseApi.BodyAsync(sent);
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, receipt.ToJsonString());
        var fileId = (string)receipt["fileId"]!;
        Assert.Equal(["fileId", "receivedAt", "state"], receipt.Select(property => property.Key).Order());
        await api.ValidateAsync(caseId, fileId);

        using var own = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}", null, arrange: request => Credentials(request, key, null));
        var ownBody = await CaseApi.BodyAsync(own);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("ready", (string)ownBody["state"]!);
        Assert.Null(ownBody["name"]);
        using var others = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}", null, arrange: request => Credentials(request, otherKey, null));
        await CaseApi.ProblemAsync(others, ProblemCatalogue.NotFound);
        using var content = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", null, arrange: request => Credentials(request, key, null));
        await CaseApi.ProblemAsync(content, ProblemCatalogue.NotFound);

        var report = FormReport();
        report["files"] = new JsonArray(fileId);
        using var submitted = await api.SubmitReportAsync(caseId, report, person: null, key: key);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var entry = Assert.Single(await api.EntriesAsync(caseId, Teacher), item => (string)item!["type"]! == "report")!;
        Assert.Equal([fileId], entry["files"]!.AsArray().Select(id => (string)id!));
        Assert.Equal((string)entry["entryId"]!, (string)(await GetBody(api, caseId, fileId, Nurse))["entryId"]!);
    }

    [Fact]
    public async Task AnUnattachedFileIsSeenByItsUploadersAgencyAndCoordinatorsOnly()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();

        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "記録.pdf", Teacher);
        await api.ValidateAsync(caseId, fileId);

        foreach (var sees in new[] { Teacher, CaseApi.Coordinator })
        {
            using var seen = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", sees);
            Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
        }

        foreach (var path in new[] { $"api/cases/{caseId}/files/{fileId}", $"api/cases/{caseId}/files/{fileId}/content" })
        {
            using var refused = await api.SendAsync(HttpMethod.Get, path, Nurse);
            await CaseApi.ProblemAsync(refused, ProblemCatalogue.NotFound);
        }

        Assert.Empty(await Listed(api, caseId, Nurse));
        Assert.Single(await Listed(api, caseId, Teacher));
    }

    [Fact]
    public async Task AnAttachedFileIsSeenByExactlyThoseWhoSeeItsEntry()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var fileId = await api.UploadIdAsync(caseId, TestPhotos.Jpeg(), "腕.jpg", Teacher);
        await api.ValidateAsync(caseId, fileId);

        var report = Report("保健センターと共有", "named-agencies", HealthCentre);
        report["files"] = new JsonArray(fileId);
        await api.ReportIdAsync(caseId, report, Teacher);

        using var nurse = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", Nurse);
        Assert.Equal(HttpStatusCode.OK, nurse.StatusCode);
        foreach (var path in new[] { $"api/cases/{caseId}/files/{fileId}", $"api/cases/{caseId}/files/{fileId}/content", $"api/cases/{caseId}/files/{fileId}/thumbnail" })
        {
            using var nursery = await api.SendAsync(HttpMethod.Get, path, NurseryHead);
            await CaseApi.ProblemAsync(nursery, ProblemCatalogue.NotFound);
        }

        using var unnamed = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}", UnnamedTeacher);
        await CaseApi.ProblemAsync(unnamed, ProblemCatalogue.NotFound);
        Assert.Empty(await Listed(api, caseId, NurseryHead));
    }

    [Fact]
    public async Task AttachingRefusesAnotherAgencysFileAFileAttachedAlreadyAndARejectedOne()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var nursesFile = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "a.pdf", Nurse);
        var attached = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "b.pdf", Teacher);
        var rejected = await api.UploadIdAsync(caseId, Encoding.ASCII.GetBytes(TestPhotos.Html), "c.jpg", Teacher);
        await api.ValidateAsync(caseId, rejected);
        var first = Report();
        first["files"] = new JsonArray(attached);
        await api.ReportIdAsync(caseId, first, Teacher);

        var second = Report();
        second["files"] = new JsonArray(nursesFile, attached, rejected, "a0000000000000000000000000", "not-an-id");
        using var refused = await api.SubmitReportAsync(caseId, second, Teacher);

        await CaseApi.ValidationErrorsAsync(refused,
            ("$.files[0]", "file-not-found"),
            ("$.files[1]", "file-already-attached"),
            ("$.files[2]", "file-rejected"),
            ("$.files[3]", "file-not-found"),
            ("$.files[4]", "file-not-found"));
        Assert.Single(await api.EntriesAsync(caseId, Teacher), entry => (string)entry!["type"]! == "report");
    }

    [Fact]
    public async Task AFileCanBeAttachedLaterToAnEntryOfTheSameAgencyOnlyAndThenFollowsItsScope()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var commentId = await api.CommentIdAsync(caseId, new JsonObject { ["text"] = "写真を追加します", ["scope"] = Scope("named-agencies", HealthCentre) }, Teacher);
        var nursesComment = await api.CommentIdAsync(caseId, new JsonObject { ["text"] = "了解" }, Nurse);
        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "追加.pdf", Teacher);

        using var notOwn = await Attach(api, caseId, fileId, nursesComment, Teacher);
        await CaseApi.ProblemAsync(notOwn, ProblemCatalogue.Forbidden);
        using var byOtherAgency = await Attach(api, caseId, fileId, nursesComment, Nurse);
        await CaseApi.ProblemAsync(byOtherAgency, ProblemCatalogue.NotFound);

        using var attached = await Attach(api, caseId, fileId, commentId, Teacher);
        Assert.Equal(HttpStatusCode.OK, attached.StatusCode);
        Assert.Equal(commentId, (string)(await CaseApi.BodyAsync(attached))["entryId"]!);
        using var again = await Attach(api, caseId, fileId, commentId, Teacher);
        await CaseApi.ProblemAsync(again, ProblemCatalogue.FileAlreadyAttached);

        var comment = Assert.Single(await api.EntriesAsync(caseId, Nurse), entry => (string)entry!["entryId"]! == commentId)!;
        Assert.Equal([fileId], comment["files"]!.AsArray().Select(id => (string)id!));
        using var nursery = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}", NurseryHead);
        await CaseApi.ProblemAsync(nursery, ProblemCatalogue.NotFound);
        Assert.Empty(await PendingAsync(api));
    }

    [Fact]
    public async Task ARangeIsServedAsPartialContentAndOneOutsideTheFileIs416()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var pdf = TestPdfs.Letter();
        var fileId = await api.UploadIdAsync(caseId, pdf, "letter.pdf", Teacher);
        await api.ValidateAsync(caseId, fileId);
        var path = $"api/cases/{caseId}/files/{fileId}/content";

        using var first = await api.SendAsync(HttpMethod.Get, path, Teacher, arrange: request => request.Headers.Range = new RangeHeaderValue(0, 9));
        Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
        Assert.Equal(pdf[..10], await first.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 0-9/{pdf.Length}", first.Content.Headers.ContentRange!.ToString());

        using var suffix = await api.SendAsync(HttpMethod.Get, path, Teacher, arrange: request => request.Headers.TryAddWithoutValidation("Range", "bytes=-5"));
        Assert.Equal(pdf[^5..], await suffix.Content.ReadAsByteArrayAsync());

        using var several = await api.SendAsync(HttpMethod.Get, path, Teacher, arrange: request => request.Headers.TryAddWithoutValidation("Range", "bytes=0-1,4-5"));
        Assert.Equal(HttpStatusCode.OK, several.StatusCode);
        Assert.Equal(pdf, await several.Content.ReadAsByteArrayAsync());

        using var stale = await api.SendAsync(HttpMethod.Get, path, Teacher, arrange: request =>
        {
            request.Headers.TryAddWithoutValidation("Range", "bytes=0-9");
            request.Headers.TryAddWithoutValidation("If-Range", "\"another\"");
        });
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);

        using var outside = await api.SendAsync(HttpMethod.Get, path, Teacher, arrange: request => request.Headers.TryAddWithoutValidation("Range", $"bytes={pdf.Length}-"));
        await CaseApi.ProblemAsync(outside, ProblemCatalogue.RangeNotSatisfiable);
        Assert.Equal($"bytes */{pdf.Length}", outside.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task AFileNotYetValidatedCannotBeDownloaded()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "letter.pdf", Teacher);

        using var download = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", Teacher);

        await CaseApi.ProblemAsync(download, ProblemCatalogue.FileNotReady);
    }

    [Fact]
    public async Task ARedactedEntrysFilesAreNoLongerServed()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var fileId = await api.UploadIdAsync(caseId, TestPdfs.Letter(), "letter.pdf", Teacher);
        await api.ValidateAsync(caseId, fileId);
        var report = Report();
        report["files"] = new JsonArray(fileId);
        var reportId = await api.ReportIdAsync(caseId, report, Teacher);

        using var redacted = await api.RedactAsync(caseId, reportId);
        Assert.True(redacted.IsSuccessStatusCode);

        using var download = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", CaseApi.Coordinator);
        await CaseApi.ProblemAsync(download, ProblemCatalogue.EntryRedacted);
        var entry = Assert.Single(await api.EntriesAsync(caseId), item => (string)item!["entryId"]! == reportId)!;
        Assert.Null(entry["files"]);
    }

    [Fact]
    public async Task UploadingNeedsTheRightToAddAnEntryToTheCase()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var outsiderKey = await api.KeyAsync("chuo-jisou");

        using var unnamed = await api.UploadAsync(caseId, TestPdfs.Letter(), "a.pdf", UnnamedTeacher);
        await CaseApi.ProblemAsync(unnamed, ProblemCatalogue.NotFound);
        using var outsider = await api.UploadAsync(caseId, TestPdfs.Letter(), "a.pdf", person: null, key: outsiderKey);
        await CaseApi.ProblemAsync(outsider, ProblemCatalogue.NotFound);
        using var anonymous = await api.UploadAsync(caseId, TestPdfs.Letter(), "a.pdf", person: null);
        await CaseApi.ProblemAsync(anonymous, ProblemCatalogue.Unauthenticated);
        Assert.Empty(await Listed(api, caseId, CaseApi.Coordinator));
    }

    [Fact]
    public async Task TheQueueValidatesAnUploadedFileWithoutAnyoneAsking()
    {
        await using var api = await CaseApi.StartAsync(backgroundTriggers: true);
        var caseId = await api.SharedCaseAsync();

        var fileId = await api.UploadIdAsync(caseId, TestPhotos.PhonePng(), "photo.png", Teacher);

        var state = "";
        for (var attempt = 0; attempt < 100 && state != "ready"; attempt++)
        {
            await Task.Delay(200);
            state = (string)(await GetBody(api, caseId, fileId, Teacher))["state"]!;
        }

        Assert.Equal("ready", state);
    }

    internal static (byte[] Bytes, string Name) Hostile(string kind) => kind switch
    {
        "html-named-jpg" => (Encoding.ASCII.GetBytes(TestPhotos.Html), "photo.jpg"),
        "svg" => ("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><script>alert(2)</script></svg>"u8.ToArray(), "drawing.svg"),
        "pdf-with-javascript" => (TestPdfs.With("/OpenAction 4 0 R", "<< /Type /Action /S /JavaScript /JS (app.alert\\('hello'\\)) >>"), "letter.pdf"),
        "zip-bomb-named-docx" => (TestPackages.RawZip([.. TestPackages.WordParts(), TestPackages.Deflated("word/media/image1.png", new byte[1024 * 1024], declared: (1024L * 1024 * 1024) + 1)]), "record.docx"),
        "macro-workbook" => (TestPackages.Docm(), "record.docx"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static async Task<JsonObject> GetBody(CaseApi api, string caseId, string fileId, string person)
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}", person);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static async Task<JsonArray> Listed(CaseApi api, string caseId, string person)
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files", person);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body["files"]!.AsArray();
    }

    private static Task<HttpResponseMessage> Attach(CaseApi api, string caseId, string fileId, string entryId, string person)
        => api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files/{fileId}/attach", person, CaseApi.Json(new JsonObject { ["entryId"] = entryId }));

    /// <summary>Every blob of the case in the quarantine and files containers.</summary>
    private static async Task<List<string>> BlobsAsync(CaseApi api, string caseId)
    {
        var names = new List<string>();
        foreach (var container in new[] { Serverless.Files.Storage.FileBlobs.Quarantine, Serverless.Files.Storage.FileBlobs.Files })
        {
            var client = api.Host.Storage.Blobs.GetBlobContainerClient(api.Host.Names.Container(container));
            await foreach (var blob in client.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = $"cases/{caseId}/" }))
            {
                names.Add(container + "/" + blob.Name);
            }
        }

        return names;
    }

    private static async Task<List<string>> PendingAsync(CaseApi api)
    {
        var table = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(Serverless.Files.Storage.CaseFiles.PendingTable));
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>())
        {
            rows.Add(row.RowKey);
        }

        return rows;
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}

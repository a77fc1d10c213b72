using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Serverless.Files.Storage;
using Serverless.Files.Sweep;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Files;
using Serverless.Tests.Files.Api;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Privacy;

/// <summary>A file's original name is entry content, like the narrative of the report it is attached to: through
/// upload (raw and multipart), validation, acceptance and refusal, attaching, reading, download and the sweep, it
/// reaches no log, table key, queue message, blob name, metadata or index tag.</summary>
public sealed class FileCanaryTests
{
    [Fact]
    public async Task PersonalDataInFileNamesAndTheReportAttachingThemReachesNoLogKeyQueueOrBlob()
    {
        await using var api = await CaseApi.StartAsync();
        var canary = new PersonalDataCanary();
        var caseId = await api.SharedCaseAsync();

        var letter = await api.UploadIdAsync(caseId, TestPdfs.Letter(), canary.FamilyName + "の診断書.pdf");
        var photo = await api.UploadIdAsync(caseId, TestPhotos.PhoneJpeg(), canary.KanaName + " " + canary.BirthDate + ".jpg");
        var refused = await api.UploadIdAsync(caseId, Encoding.UTF8.GetBytes(canary.ReportText), canary.Address + ".pdf");
        var lost = await api.UploadIdAsync(caseId, TestPdfs.Letter(), canary.GivenName + "の紹介状.pdf"); // its validation message never handled
        var multipart = await MultipartIdAsync(api, caseId, TestPdfs.Letter(), canary.GivenName + "の意見書.pdf");
        using (var empty = await api.UploadAsync(caseId, [], canary.FamilyName + ".pdf"))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, empty.StatusCode); // empty: refused before anything is stored
        }

        Assert.Equal(FileState.Ready, await api.ValidateAsync(caseId, letter));
        Assert.Equal(FileState.Ready, await api.ValidateAsync(caseId, photo));
        Assert.Equal(FileState.Rejected, await api.ValidateAsync(caseId, refused));
        Assert.Equal(FileState.Ready, await api.ValidateAsync(caseId, multipart));
        var report = Report(canary.ReportText + " " + canary.Address);
        report["files"] = new JsonArray(letter, photo, multipart);
        await api.ReportIdAsync(caseId, report, Teacher);

        using (var listed = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files", Nurse))
        {
            Assert.Contains(canary.FamilyName, await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the name is there for those who may see it
        }

        using (var state = await api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{refused}", Teacher))
        {
            Assert.Equal(HttpStatusCode.OK, state.StatusCode);
        }

        using (var whole = await api.DownloadAsync(caseId, letter, Nurse))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal(canary.FamilyName + "の診断書.pdf", whole.Content.Headers.ContentDisposition?.FileNameStar);
        }

        using (var part = await api.DownloadAsync(caseId, photo, Nurse, "bytes=0-99"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        }

        var sweep = api.Host.Get<FileSweep>();
        api.Host.Clock!.Advance(FileSweep.RequeueAfter + TimeSpan.FromMinutes(1));
        Assert.Equal(new FileSweepResult(Requeued: 1, Deleted: 0, Dropped: 0), await sweep.RunAsync(CancellationToken.None));
        api.Host.Clock.Advance(FileSweep.KeepUnattached);
        Assert.Equal(new FileSweepResult(Requeued: 0, Deleted: 2, Dropped: 0), await sweep.RunAsync(CancellationToken.None)); // the refused file and the lost one

        Assert.Empty(await canary.FindLeaksAsync(api.Host));
    }

    /// <summary>A multipart upload whose part names the file in <c>filename*</c> (RFC 5987), as a browser's form sends a Japanese name.</summary>
    private static async Task<string> MultipartIdAsync(CaseApi api, string caseId, byte[] bytes, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", name);
        using var response = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files", Teacher, form);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        return (string)body["fileId"]!;
    }
}

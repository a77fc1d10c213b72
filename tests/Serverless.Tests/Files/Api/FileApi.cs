using System.Net;
using System.Net.Http.Headers;
using Serverless.Files.Storage;
using Serverless.Files.Validation;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;

namespace Serverless.Tests.Files.Api;

/// <summary>File requests over <see cref="CaseApi"/>: an upload as a raw body with its name in <c>X-File-Name</c>
/// (percent-encoded UTF-8), the validation the queue would run, and a download.</summary>
internal static class FileApi
{
    /// <summary><c>POST /api/cases/{caseId}/files</c> with <paramref name="bytes"/> as the body.</summary>
    /// <param name="name">The file's name (null: no <c>X-File-Name</c>).</param>
    /// <param name="person">A demo subject; null with <paramref name="key"/> to send as a form.</param>
    /// <param name="expectContinue">Send <c>Expect: 100-continue</c>: the body follows only if the app asks for it.</param>
    public static Task<HttpResponseMessage> UploadAsync(this CaseApi api, string caseId, byte[] bytes, string? name, string? person = EntryApi.Teacher, string? key = null, bool expectContinue = false)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/files", person, content, request =>
        {
            if (name is not null)
            {
                request.Headers.TryAddWithoutValidation("X-File-Name", Uri.EscapeDataString(name));
            }

            EntryApi.Credentials(request, key, null);
            request.Headers.ExpectContinue = expectContinue ? true : null;
        });
    }

    /// <summary>Uploads a file that must be accepted (202), and returns its id.</summary>
    public static async Task<string> UploadIdAsync(this CaseApi api, string caseId, byte[] bytes, string name, string? person = EntryApi.Teacher, string? key = null)
    {
        using var response = await api.UploadAsync(caseId, bytes, name, person, key);
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body.ToJsonString());
        return (string)body["fileId"]!;
    }

    /// <summary>Runs the validation the <c>file-validation</c> queue would, now.</summary>
    public static Task<FileState?> ValidateAsync(this CaseApi api, string caseId, string fileId)
        => api.Host.Get<FileValidationQueue>().ValidateAsync(caseId, fileId, CancellationToken.None);

    /// <summary><c>GET .../files/{fileId}/content</c>, with <c>Range</c> when <paramref name="range"/> is set (<c>bytes=0-99</c>).</summary>
    public static Task<HttpResponseMessage> DownloadAsync(this CaseApi api, string caseId, string fileId, string? person = EntryApi.Teacher, string? range = null)
        => api.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/files/{fileId}/content", person, arrange: request =>
        {
            if (range is not null)
            {
                request.Headers.TryAddWithoutValidation("Range", range);
            }
        });
}

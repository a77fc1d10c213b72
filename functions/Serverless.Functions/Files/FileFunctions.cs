using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Files;
using Serverless.Files.Attachments;
using Serverless.Files.Reading;
using Serverless.Files.Upload;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Files;

/// <summary>Files on a case: upload through the function, state, list, download, thumbnail, attach to an entry.</summary>
public sealed class FileFunctions(HttpEndpoint endpoint, FileUploads uploads, FileReader reader, FileAttacher attacher, FileValidator validator)
{
    [Function("UploadFile")]
    [ApiOperation("Upload a file to a case through the app (up to 25 MB by default): the raw bytes with the name in X-File-Name (percent-encoded UTF-8), or multipart/form-data with a part named file. Streamed into quarantine: 202 with the file's state (quarantined) and Location; validation follows from a queue (GET the file for ready or rejected, with the reason). The type is decided from the content, never the name or Content-Type. Attach it to a report or comment with files: [fileId] (or POST .../attach); attached to nothing, it is deleted after 24 hours.", Tag = "files", Access = "coordinator; a named member of an agency on the case; the submission key of an agency on the case today (which gets a receipt only)", FileUpload = true)]
    [ApiHeader(UploadBodyReader.FileNameHeader, "with a raw body: the file's original name, percent-encoded UTF-8 (RFC 3986)", 1024)]
    [ApiResponse(202, typeof(FileView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.validation-failed", "files.too-large", "files.rejected")]
    public Task<IActionResult> Upload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/files")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
    {
        var limit = validator.LimitOf(UploadRoute.FunctionPath);
        UploadBodyReader.AllowBodyOf(request, limit); // this route only: before anything reads the body
        return endpoint.RunForCallerAsync(request, AuditActions.FileUpload, caseId, async (context, caller) =>
        {
            IActionResult? unreadable = null;
            var outcome = await uploads.ReceiveAsync(
                caller,
                caseId,
                async () =>
                {
                    var (body, problem) = await UploadBodyReader.ReadAsync(request, context, limit);
                    unreadable = problem;
                    return body;
                },
                context.Language,
                cancellationToken);
            return outcome is CaseOutcome<FileAccepted>.Unreadable
                ? unreadable!
                : CaseResults.From(outcome, context, accepted => new WithHeaderResult(
                    new ApiResult(StatusCodes.Status202Accepted, (object?)accepted.View ?? accepted.Receipt),
                    "Location",
                    request.Path.Add("/" + accepted.FileId).Value!));
        });
    }

    [Function("GetFile")]
    [ApiOperation("One file's state (receiving, quarantined, ready, rejected with a reason in the caller's language), type and size as validated, both SHA-256 digests (as received, as stored), what was removed from a photo, and the entry it belongs to. Seen by those who see its entry; attached to none, by its uploader's agency and coordinators. A form's key reads only the receipt of a file it sent.", Tag = "files", Access = "whoever sees the file's entry; a form's key for its own files")]
    [ApiResponse(200, typeof(FileView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/files/{fileId}")] HttpRequest request,
        string caseId,
        string fileId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.FileRead,
            caseId,
            async (context, caller) => CaseResults.From(
                await reader.GetAsync(caller, caseId, fileId, cancellationToken),
                context,
                accessed => ApiResult.Ok(caller.Kind == Serverless.Identity.CallerKind.SubmissionKey
                    ? FileVisibility.Receipt(accessed.File, context.Language)
                    : FileVisibility.View(caller, accessed.File, context.Language))),
            entryId: fileId);

    [Function("ListFiles")]
    [ApiOperation("The files of a case the caller may see, oldest first (at most 1000).", Tag = "files", Access = "coordinator, or a member who sees the case")]
    [ApiResponse(200, typeof(FileList))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/files")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.FileList,
            caseId,
            async (context, caller) => CaseResults.From(await reader.ListAsync(caller, caseId, context.Language, cancellationToken), context, list => ApiResult.Ok(list)));

    [Function("DownloadFile")]
    [ApiOperation("Download a ready file, streamed: always as an attachment named with filename* (RFC 6266/8187), the type validation decided, X-Content-Type-Options: nosniff, Content-Security-Policy: sandbox, no-store. One byte range (Range: bytes=a-b) answers 206; several ranges, or If-Range with another tag, send the whole file.", Tag = "files", Access = "whoever sees the file's entry")]
    [ApiHeader("Range", "optional: one byte range, bytes=first-last, bytes=first- or bytes=-suffix", 200)]
    [ApiResponse(200, null, "application/octet-stream")]
    [ApiResponse(206, null, "application/octet-stream")]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "files.not-ready", "entries.redacted", "request.range-not-satisfiable")]
    public Task<IActionResult> Download(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/files/{fileId}/content")] HttpRequest request,
        string caseId,
        string fileId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.FileDownload,
            caseId,
            async (context, caller) => CaseResults.From(
                await reader.OpenContentAsync(caller, caseId, fileId, RangeHeader.Read(request), cancellationToken),
                context,
                content => new StreamedFileResult(content)),
            entryId: fileId);

    [Function("GetFileThumbnail")]
    [ApiOperation("A photo's thumbnail for the timeline: a JPEG at most 320 pixels on its longest side, upright, without any metadata; served like a download.", Tag = "files", Access = "whoever sees the file's entry")]
    [ApiResponse(200, null, "image/jpeg")]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "files.not-ready", "entries.redacted")]
    public Task<IActionResult> Thumbnail(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/files/{fileId}/thumbnail")] HttpRequest request,
        string caseId,
        string fileId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.FileThumbnail,
            caseId,
            async (context, caller) => CaseResults.From(await reader.OpenThumbnailAsync(caller, caseId, fileId, cancellationToken), context, content => new StreamedFileResult(content)),
            entryId: fileId);

    [Function("AttachFile")]
    [ApiOperation("Attach an uploaded file to a report or comment written earlier by the caller's agency (at most 10 files on an entry). From then on the entry decides who sees the file.", Tag = "files", Access = "a person of the agency that sent the file and wrote the entry", RequestBody = typeof(AttachRequest))]
    [ApiResponse(200, typeof(FileView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "files.already-attached", "entries.redacted", "resource.conflict")]
    public Task<IActionResult> Attach(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/files/{fileId}/attach")] HttpRequest request,
        string caseId,
        string fileId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.FileAttach,
            caseId,
            async (context, caller) =>
            {
                var body = await JsonBody.ReadAsync<AttachRequest>(request, context, 4096);
                var outcome = await attacher.AttachAsync(caller, caseId, fileId, body.Value, context.Language, cancellationToken);
                return outcome is CaseOutcome<FileView>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, view => ApiResult.Ok(view));
            },
            entryId: fileId);
}

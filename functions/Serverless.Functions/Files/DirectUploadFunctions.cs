using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Files.Direct;
using Serverless.Files.Reading;
using Serverless.Files.Upload;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Files;

/// <summary>
/// The direct upload (docs/files.md, "Direct upload"): start (an upload address for one quarantine blob), the blocks
/// storage holds (to resume), a fresh address, complete (validation queued). Blob triggers are not used: on Flex
/// Consumption they need Event Grid, and the completion call says exactly when a file is whole.
/// </summary>
public sealed class DirectUploadFunctions(HttpEndpoint endpoint, DirectUploads uploads)
{
    private const string Access = "coordinator; a named member of an agency on the case; the submission key of an agency on the case today";
    private const string Uploader = "the person or form's key that started the upload";

    [Function("StartDirectUpload")]
    [ApiOperation("Start a direct upload, for large files and slow connections (up to 100 MB by default): declare the file's name and exact size, and get uploadUrl, a short-lived address (a user delegation SAS, HTTPS, about 15 minutes) that lets its holder create and write this one blob and nothing else, not even read it back. Send the file to it in blocks (Put Block with a block id, then Put Block List; x-ms-version 2025-11-05 or later), then POST .../files/{fileId}/complete. Location is the file. Where storage gives the app no user delegation key (a local deployment on an account key) the answer is files.direct-upload-unavailable: send through POST .../files instead. Attached to nothing and never completed, the file is deleted after 24 hours.", Tag = "files", Access = Access, RequestBody = typeof(DirectUploadRequest))]
    [ApiResponse(201, typeof(DirectUploadAddress))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "files.too-large", "files.rejected", "files.direct-upload-unavailable")]
    public Task<IActionResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/files/direct")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.FileDirectUpload,
            caseId,
            async (context, caller) =>
            {
                var body = await JsonBody.ReadAsync<DirectUploadRequest>(request, context, 4096);
                var outcome = await uploads.StartAsync(caller, caseId, body.Value, cancellationToken);
                return outcome is CaseOutcome<DirectUploadAddress>.Unreadable
                    ? body.Problem!
                    : CaseResults.From(outcome, context, address => new WithHeaderResult(
                        new ApiResult(StatusCodes.Status201Created, address),
                        "Location",
                        FileLocation(request, address.FileId)));
            });

    [Function("GetUploadBlocks")]
    [ApiOperation("The blocks storage holds for a direct upload in progress (committed and staged, with ids and sizes), read by the app: the upload address cannot read, by design. A client that lost its place sends only the blocks missing here, then commits the list.", Tag = "files", Access = Uploader)]
    [ApiResponse(200, typeof(UploadBlocks))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "files.upload-closed")]
    public Task<IActionResult> Blocks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/files/{fileId}/blocks")] HttpRequest request,
        string caseId,
        string fileId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.FileUploadBlocks,
            caseId,
            async (context, caller) => CaseResults.From(await uploads.BlocksAsync(caller, caseId, fileId, cancellationToken), context, blocks => ApiResult.Ok(blocks)),
            entryId: fileId);

    [Function("RenewUploadUrl")]
    [ApiOperation("A fresh upload address for the same blob, while the upload is not complete and within 24 hours of its start (a slow connection outlives an address). Blocks already sent stay.", Tag = "files", Access = Uploader)]
    [ApiResponse(200, typeof(DirectUploadAddress))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "files.upload-closed", "files.direct-upload-unavailable")]
    public Task<IActionResult> Renew(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/files/{fileId}/upload-url")] HttpRequest request,
        string caseId,
        string fileId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.FileUploadUrl,
            caseId,
            async (context, caller) => CaseResults.From(await uploads.RenewAsync(caller, caseId, fileId, cancellationToken), context, address => ApiResult.Ok(address)),
            entryId: fileId);

    [Function("CompleteUpload")]
    [ApiOperation("Complete a direct upload: the committed blob must be as long as the size declared at the start. The file becomes quarantined and its validation is queued: 202 with its state (a form's key gets its receipt). Completing again answers the file's state as it is now.", Tag = "files", Access = Uploader)]
    [ApiResponse(202, typeof(FileView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "files.upload-incomplete", "files.upload-closed", "files.too-large", "resource.conflict")]
    public Task<IActionResult> Complete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/files/{fileId}/complete")] HttpRequest request,
        string caseId,
        string fileId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(
            request,
            AuditActions.FileUploadComplete,
            caseId,
            async (context, caller) => CaseResults.From(
                await uploads.CompleteAsync(caller, caseId, fileId, context.Language, cancellationToken),
                context,
                accepted => new ApiResult(StatusCodes.Status202Accepted, (object?)accepted.View ?? accepted.Receipt)),
            entryId: fileId);

    /// <summary>The file's URL beside <c>.../files/direct</c> (under whatever route prefix the host uses).</summary>
    private static string FileLocation(HttpRequest request, string fileId)
    {
        var path = request.Path.Value!.TrimEnd('/');
        return path[..path.LastIndexOf('/')] + "/" + fileId;
    }
}

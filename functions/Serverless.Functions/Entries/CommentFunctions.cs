using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;

namespace Serverless.Functions.Entries;

/// <summary>Comments on a case and replies to its entries.</summary>
public sealed class CommentFunctions(HttpEndpoint endpoint, CommentService comments)
{
    /// <summary>A comment is at most 4,000 UTF-16 units (12 KB of UTF-8), with up to 20 mentions.</summary>
    public const int MaxBodyBytes = 32 * 1024;

    [Function("AddComment")]
    [ApiOperation("Comment on a case, or reply to a report or comment (inReplyTo). A reply is seen at most as widely as what it answers (without scope it takes the parent's); mentions name people or agencies on the case who can see the comment, else 400. Idempotency-Key as for reports.", Tag = "entries", Access = "coordinator, or a named member of an agency on the case (not a form's key)", RequestBody = typeof(CommentRequest))]
    [ApiHeader(IdempotencyHeader.Name, "optional: 1 to 255 printable ASCII characters (a UUID), kept at least 24 hours, scoped to the caller", Serverless.Idempotency.IdempotencyKey.MaxLength)]
    [ApiResponse(201, typeof(EntryReceipt))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed", "request.invalid-idempotency-key", "request.idempotency-key-reused", "request.idempotency-key-in-flight")]
    public Task<IActionResult> Add(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/comments")] HttpRequest request,
        string caseId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.CommentAdd, caseId, async (context, caller) =>
        {
            var body = await JsonBody.ReadAsync<CommentRequest>(request, context, MaxBodyBytes);
            var key = IdempotencyHeader.Read(request, caller, "comments", body.Bytes);
            var outcome = await comments.AddAsync(caller, caseId, body.Value, key, request.Path.Value!, cancellationToken);
            return outcome is CaseOutcome<EntryAdded>.Unreadable ? body.Problem! : CaseResults.From(outcome, context, EntryResults.Added);
        });
}

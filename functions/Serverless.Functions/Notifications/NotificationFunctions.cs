using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Functions.Cases;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Notifications;
using Serverless.Storage;
using Serverless.Validation;

namespace Serverless.Functions.Notifications;

/// <summary>Each person's inbox: newest first, checked against what the reader may see now; read marks; the unread count.</summary>
public sealed class NotificationFunctions(HttpEndpoint endpoint, NotificationReader reader)
{
    private const string PeopleOnly = "any signed-in person (a form's key has no inbox: 403)";

    [Function("ListNotifications")]
    [ApiOperation("Your notifications, newest first: entries added to the cases you are named on (reports, comments, case changes; those mentioning you marked mentioned), urgent reports for coordinators, break-glass openings and referral escalations. Each is checked when you read it: one about something you can no longer see says nothing about it (kind unavailable, available false). Carries ids only, never contents.", Tag = "notifications", Access = PeopleOnly)]
    [ApiQuery("unread", "true: only the unread (after your read mark, not marked one by one); default false")]
    [ApiQuery("pageSize", "1 to 100, default 20")]
    [ApiQuery("continuationToken", "from the previous page")]
    [ApiResponse(200, typeof(NotificationPage))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.validation-failed")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/notifications")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.NotificationsRead, null, async (context, caller) =>
        {
            var errors = new List<ValidationError>();
            var pageSize = CaseQuery.Int(request.Query, "pageSize", errors) ?? NotificationReader.DefaultPageSize;
            if (pageSize is < 1 or > NotificationInbox.MaxPageSize)
            {
                errors.Add(new ValidationError("$.pageSize", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "1", ["max"] = "100" }));
            }

            var unread = CaseQuery.Single(request.Query, "unread", errors);
            if (unread is not null and not "true" and not "false")
            {
                errors.Add(new ValidationError("$.unread", FieldRules.InvalidValue));
            }

            // A token is for one person's one list: another's, or the other filter's, is refused.
            var scope = "inbox-" + caller.Id + "-" + (unread ?? "false");
            var token = request.Query["continuationToken"].ToString();
            string? storageToken = null;
            if (token.Length > 0 && (storageToken = ContinuationTokens.Decode(token, scope)) is null)
            {
                errors.Add(new ValidationError("$.continuationToken", FieldRules.InvalidId));
            }

            if (caller.Kind == Serverless.Identity.CallerKind.Person && errors.Count > 0)
            {
                return context.Invalid(errors);
            }

            var page = await reader.PageAsync(caller, unread == "true", pageSize, storageToken, cancellationToken);
            return CaseResults.From(page, context, found => ApiResult.Ok(found with
            {
                ContinuationToken = found.ContinuationToken is { } next ? ContinuationTokens.Encode(scope, next) : null,
            }));
        });

    [Function("CountUnreadNotifications")]
    [ApiOperation("How many of your notifications are unread, up to 999 (capped true: 999 or more).", Tag = "notifications", Access = PeopleOnly)]
    [ApiResponse(200, typeof(UnreadCount))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden")]
    public Task<IActionResult> CountUnread(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/notifications/unread-count")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.NotificationsUnreadCount, null, async (context, caller) =>
            CaseResults.From(await reader.UnreadAsync(caller, cancellationToken), context, count => ApiResult.Ok(count)));

    [Function("MarkNotificationRead")]
    [ApiOperation("Mark one of your notifications read (again is harmless). 404 for an id your inbox does not hold.", Tag = "notifications", Access = PeopleOnly)]
    [ApiResponse(200, typeof(NotificationRead))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "resource.not-found")]
    public Task<IActionResult> MarkRead(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/{notificationId}/read")] HttpRequest request,
        string notificationId,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.NotificationMarkRead, null, async (context, caller) =>
            CaseResults.From(await reader.MarkReadAsync(caller, notificationId, cancellationToken), context, read => ApiResult.Ok(read)));

    [Function("MarkNotificationsRead")]
    [ApiOperation("Mark everything up to a time read: upTo (ISO 8601 with its offset, not in the future), or now without it (an empty body will do). The mark only moves forward; the answer is the mark in force, in Japan time.", Tag = "notifications", Access = PeopleOnly, RequestBody = typeof(MarkReadRequest))]
    [ApiResponse(200, typeof(ReadMark))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> MarkAllRead(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/read")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.NotificationsMarkAllRead, null, async (context, caller) =>
        {
            // No body at all is "up to now"; anything sent is read as JSON.
            var empty = request.ContentLength == 0 || (request.ContentLength is null && string.IsNullOrEmpty(request.ContentType));
            var body = empty ? null : await JsonBody.ReadAsync<MarkReadRequest>(request, context, maxBytes: 1024);
            var outcome = await reader.MarkAllReadAsync(caller, body is null ? new MarkReadRequest() : body.Value, cancellationToken);
            return outcome is CaseOutcome<ReadMark>.Unreadable ? body!.Problem! : CaseResults.From(outcome, context, mark => ApiResult.Ok(mark));
        });
}

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Identity;
using Serverless.Notifications;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Validation;

namespace Serverless.Functions.Notifications;

public sealed class ListNotificationsFunction(HttpEndpoint endpoint, NotificationInbox inbox)
{
    [Function("ListNotifications")]
    [ApiOperation("Your notifications, newest first (break-glass openings for coordinators).", Tag = "notifications", Access = "any signed-in person")]
    [ApiQuery("pageSize", "1 to 100, default 20")]
    [ApiQuery("continuationToken", "from the previous page")]
    [ApiResponse(200, typeof(NotificationPage))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "request.validation-failed")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/notifications")] HttpRequest request,
        CancellationToken cancellationToken)
        => endpoint.RunForCallerAsync(request, AuditActions.NotificationsRead, null, async (context, caller) =>
        {
            if (caller.Kind != CallerKind.Person)
            {
                return context.Problem(ProblemCatalogue.Forbidden);
            }

            var errors = new List<ValidationError>();
            var pageSize = Cases.CaseQuery.Int(request.Query, "pageSize", errors) ?? 20;
            if (pageSize is < 1 or > NotificationInbox.MaxPageSize)
            {
                errors.Add(new ValidationError("$.pageSize", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "1", ["max"] = "100" }));
            }

            var token = request.Query["continuationToken"].ToString();
            string? storageToken = null;
            var scope = "inbox-" + caller.Id;
            if (token.Length > 0 && (storageToken = ContinuationTokens.Decode(token, scope)) is null)
            {
                errors.Add(new ValidationError("$.continuationToken", FieldRules.InvalidId));
            }

            if (errors.Count > 0)
            {
                return context.Invalid(errors);
            }

            var (items, next) = await inbox.PageAsync(caller.Id, pageSize, storageToken, cancellationToken);
            return ApiResult.Ok(new NotificationPage(items, next is null ? null : ContinuationTokens.Encode(scope, next)));
        });
}

public sealed record NotificationPage(IReadOnlyList<Notification> Notifications, string? ContinuationToken);

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Serverless.Audit;
using Serverless.Functions.Administration;
using Serverless.Functions.Contracts;
using Serverless.Functions.Http;
using Serverless.Notifications.Webhooks;

namespace Serverless.Functions.Notifications;

/// <summary>An agency's webhooks (admins, from the municipality's network) and their delivery from the queue.</summary>
public sealed class WebhookFunctions(HttpEndpoint endpoint, WebhookAdministration webhooks, WebhookDelivery delivery)
{
    private const string Formats = "generic: the event as signed JSON (Standard Webhooks) for a relay or a system; teams: a Teams Workflows webhook; slack: a Slack incoming webhook. Chat formats say only 「新しいお知らせがあります」 (「至急：…」 when urgent) with a link to the inbox; no webhook ever carries anything about a child.";

    [Function("SaveWebhook")]
    [ApiOperation("Register an agency's webhook, or replace its URL and format. The URL must be https and its host must resolve to public addresses only (checked again at every send; redirects are never followed). The URL is kept encrypted and shown masked (scheme and host). A new generic webhook's signing secret (whsec_...) is in this answer only, once. " + Formats + " 201 when new; replacing a disabled webhook (the receiver answered 410) enables it again.", Tag = "admin", Access = "admin", RequestBody = typeof(SaveWebhookRequest))]
    [ApiResponse(200, typeof(SavedWebhook))]
    [ApiResponse(201, typeof(SavedWebhook))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found", "resource.conflict", "request.invalid-json", "request.unsupported-media-type", "request.body-too-large", "request.validation-failed")]
    public Task<IActionResult> Save(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/admin/agencies/{agencyId}/webhooks/{name}")] HttpRequest request,
        string agencyId,
        string name,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminWebhookSave, new AuditTarget(AgencyId: agencyId), (context, caller) =>
            AdminResults.WithBodyAsync<SaveWebhookRequest, SavedWebhook>(request, context, body => webhooks.SaveAsync(caller, agencyId, name, body, cancellationToken)));

    [Function("ListWebhooks")]
    [ApiOperation("An agency's webhooks: URLs masked, never a secret, each with its last delivery attempts (status or failure kind, time, the next attempt if one is queued; never a body).", Tag = "admin", Access = "admin")]
    [ApiResponse(200, typeof(WebhookList))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found")]
    public Task<IActionResult> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/agencies/{agencyId}/webhooks")] HttpRequest request,
        string agencyId,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminWebhookRead, new AuditTarget(AgencyId: agencyId), async (context, caller) =>
            AdminResults.From(await webhooks.ListAsync(caller, agencyId, cancellationToken), context, list => new WebhookList(list)));

    [Function("DeleteWebhook")]
    [ApiOperation("Delete a webhook. Deliveries still queued for it are dropped. Answers with the webhook deleted (masked).", Tag = "admin", Access = "admin")]
    [ApiResponse(200, typeof(WebhookView))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found", "resource.conflict")]
    public Task<IActionResult> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/admin/agencies/{agencyId}/webhooks/{name}")] HttpRequest request,
        string agencyId,
        string name,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminWebhookDelete, new AuditTarget(AgencyId: agencyId), async (context, caller) =>
            AdminResults.From(await webhooks.DeleteAsync(caller, agencyId, name, cancellationToken), context));

    [Function("RotateWebhookSecret")]
    [ApiOperation("Give a generic webhook a new signing secret, in this answer only, once. The previous secret keeps signing beside it for 24 hours (both signatures in webhook-signature), so the receiver can switch without refusing a message.", Tag = "admin", Access = "admin")]
    [ApiResponse(200, typeof(SavedWebhook))]
    [ApiProblems("auth.unauthenticated", "auth.forbidden", "admin.network-not-allowed", "resource.not-found", "resource.conflict", "request.validation-failed")]
    public Task<IActionResult> RotateSecret(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/agencies/{agencyId}/webhooks/{name}/rotate-secret")] HttpRequest request,
        string agencyId,
        string name,
        CancellationToken cancellationToken)
        => endpoint.RunAdministrationAsync(request, AuditActions.AdminWebhookRotateSecret, new AuditTarget(AgencyId: agencyId), async (context, caller) =>
            AdminResults.From(await webhooks.RotateSecretAsync(caller, agencyId, name, cancellationToken), context));

    /// <summary>One delivery attempt. A failure is re-queued with back-off by the handler; the last one throws, so the
    /// host retries the message, then dead-letters it like any other.</summary>
    [Function("WebhookDelivery")]
    public Task Deliver([QueueTrigger(WebhookDispatcher.Queue)] string message, CancellationToken cancellationToken)
        => delivery.HandleAsync(message, cancellationToken);
}

/// <summary>An agency's webhooks, by name.</summary>
public sealed record WebhookList(IReadOnlyList<WebhookView> Webhooks);

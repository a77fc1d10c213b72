using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Administration;
using Serverless.Agencies;
using Serverless.Identity;
using Serverless.Validation;

namespace Serverless.Notifications.Webhooks;

/// <summary>
/// An agency's webhooks, managed by admins only (the admin API's gate: the role, then the network). A webhook URL is
/// https only and its host must resolve to public addresses only (checked again at every send); the URL is stored
/// encrypted and shown masked; a generic webhook's signing secret is shown once, on creation and on rotation.
/// </summary>
public sealed class WebhookAdministration(
    AdministrationService administration,
    AgencyDirectory agencies,
    WebhookStore store,
    WebhookCipher cipher,
    WebhookHosts hosts,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<WebhookAdministration> logger)
{
    /// <summary>Registers a webhook or replaces its URL and format (201 when new). Replacing a disabled webhook
    /// enables it again; a generic webhook keeps its secret, one that becomes generic gets a new one.</summary>
    public async Task<AdminOutcome<SavedWebhook>> SaveAsync(Caller caller, string agencyId, string name, SaveWebhookRequest? request, CancellationToken cancellationToken)
    {
        if (administration.AdmitAdmin(caller) is { } refusal)
        {
            return Refused<SavedWebhook>(refusal);
        }

        if (request is null)
        {
            return new AdminOutcome<SavedWebhook>.Unreadable();
        }

        if (!await AgencyExistsAsync(agencyId, cancellationToken))
        {
            return new AdminOutcome<SavedWebhook>.NotFound();
        }

        var errors = new ValidationErrors();
        if (!WebhookNames.IsValid(name))
        {
            errors.Add("$.name", FieldRules.InvalidId);
        }

        errors.Required("$.url", request.Url);
        errors.Required("$.format", request.Format);
        var url = WebhookUrls.Parse(request.Url);
        if (request.Url is { Length: > 0 } && url is null)
        {
            errors.Add("$.url", WebhookUrls.IsOtherScheme(request.Url) ? FieldRules.HttpsRequired : FieldRules.InvalidValue);
        }

        if (!options.Value.Enabled)
        {
            errors.Add("$", FieldRules.NotConfigured);
        }

        if (errors.Any)
        {
            return new AdminOutcome<SavedWebhook>.Invalid(errors.All);
        }

        switch (await hosts.CheckAsync(url!.IdnHost, cancellationToken))
        {
            case WebhookHostCheck.Refused:
                return Invalid<SavedWebhook>("$.url", FieldRules.HostNotPublic);
            case WebhookHostCheck.Unresolvable:
                return Invalid<SavedWebhook>("$.url", FieldRules.HostUnresolvable);
        }

        var existing = await store.FindAsync(agencyId, name, cancellationToken);
        if (existing is null && (await store.ListAsync(agencyId, cancellationToken)).Count >= WebhookLimits.MaxPerAgency)
        {
            return new AdminOutcome<SavedWebhook>.Invalid([new ValidationError("$.name", FieldRules.TooMany, new Dictionary<string, string> { ["max"] = WebhookLimits.MaxPerAgency.ToString(CultureInfo.InvariantCulture) })]);
        }

        var now = clock.GetUtcNow();
        var format = request.Format!.Value;
        var webhook = existing ?? new WebhookEntity { PartitionKey = agencyId, RowKey = name, CreatedAt = now, CreatedBy = caller.Id };
        webhook.Format = format.ToString();
        webhook.SealedUrl = cipher.Encrypt(url.AbsoluteUri, agencyId, name, WebhookFields.Url);
        webhook.MaskedUrl = WebhookUrls.Mask(url);
        webhook.UpdatedAt = now;
        webhook.UpdatedBy = caller.Id;
        webhook.DisabledAt = null;
        string? newSecret = null;
        if (format != WebhookFormat.Generic)
        {
            webhook.SealedSecret = null;
            webhook.SealedPreviousSecret = null;
            webhook.PreviousSecretUntil = null;
        }
        else if (webhook.SealedSecret is null)
        {
            newSecret = WebhookSigning.NewSecret();
            webhook.SealedSecret = cipher.Encrypt(newSecret, agencyId, name, WebhookFields.Secret);
        }

        if (!(existing is null ? await store.TryAddAsync(webhook, cancellationToken) : await store.TryReplaceAsync(webhook, cancellationToken)))
        {
            return new AdminOutcome<SavedWebhook>.Conflict();
        }

        logger.LogInformation("Webhook {WebhookName} of agency {AgencyId} saved by {CallerId}", name, agencyId, caller.Id);
        return new AdminOutcome<SavedWebhook>.Done(new SavedWebhook(View(webhook), newSecret), Created: existing is null);
    }

    /// <summary>The agency's webhooks by name, masked, with their recent delivery attempts.</summary>
    public async Task<AdminOutcome<IReadOnlyList<WebhookView>>> ListAsync(Caller caller, string agencyId, CancellationToken cancellationToken)
    {
        if (administration.AdmitAdmin(caller) is { } refusal)
        {
            return Refused<IReadOnlyList<WebhookView>>(refusal);
        }

        if (!await AgencyExistsAsync(agencyId, cancellationToken))
        {
            return new AdminOutcome<IReadOnlyList<WebhookView>>.NotFound();
        }

        var webhooks = await store.ListAsync(agencyId, cancellationToken);
        return new AdminOutcome<IReadOnlyList<WebhookView>>.Done([.. webhooks.OrderBy(webhook => webhook.RowKey, StringComparer.Ordinal).Select(View)]);
    }

    /// <summary>Deletes a webhook; deliveries still queued for it are dropped. Answers with what was deleted.</summary>
    public async Task<AdminOutcome<WebhookView>> DeleteAsync(Caller caller, string agencyId, string name, CancellationToken cancellationToken)
    {
        if (administration.AdmitAdmin(caller) is { } refusal)
        {
            return Refused<WebhookView>(refusal);
        }

        var webhook = await FindOwnAsync(agencyId, name, cancellationToken);
        if (webhook is null)
        {
            return new AdminOutcome<WebhookView>.NotFound();
        }

        if (!await store.TryDeleteAsync(webhook, cancellationToken))
        {
            return new AdminOutcome<WebhookView>.Conflict();
        }

        logger.LogInformation("Webhook {WebhookName} of agency {AgencyId} deleted by {CallerId}", name, agencyId, caller.Id);
        return new AdminOutcome<WebhookView>.Done(View(webhook));
    }

    /// <summary>
    /// Gives a generic webhook a new signing secret, shown once. The current one keeps signing beside it for
    /// <see cref="WebhookLimits.RotationOverlap"/> (both signatures in <c>webhook-signature</c>), so the receiver can
    /// switch without refusing a message. A secret older than that (an earlier rotation still overlapping) stops at once.
    /// </summary>
    public async Task<AdminOutcome<SavedWebhook>> RotateSecretAsync(Caller caller, string agencyId, string name, CancellationToken cancellationToken)
    {
        if (administration.AdmitAdmin(caller) is { } refusal)
        {
            return Refused<SavedWebhook>(refusal);
        }

        var webhook = await FindOwnAsync(agencyId, name, cancellationToken);
        if (webhook is null)
        {
            return new AdminOutcome<SavedWebhook>.NotFound();
        }

        if (webhook.Format != nameof(WebhookFormat.Generic) || webhook.SealedSecret is null)
        {
            return Invalid<SavedWebhook>("$.format", FieldRules.NotForFormat);
        }

        var now = clock.GetUtcNow();
        var current = cipher.Decrypt(webhook.SealedSecret, agencyId, name, WebhookFields.Secret);
        var newSecret = WebhookSigning.NewSecret();
        webhook.SealedPreviousSecret = cipher.Encrypt(current, agencyId, name, WebhookFields.PreviousSecret);
        webhook.PreviousSecretUntil = now + WebhookLimits.RotationOverlap;
        webhook.SealedSecret = cipher.Encrypt(newSecret, agencyId, name, WebhookFields.Secret);
        webhook.UpdatedAt = now;
        webhook.UpdatedBy = caller.Id;
        if (!await store.TryReplaceAsync(webhook, cancellationToken))
        {
            return new AdminOutcome<SavedWebhook>.Conflict();
        }

        logger.LogInformation("Signing secret of webhook {WebhookName} of agency {AgencyId} rotated by {CallerId}", name, agencyId, caller.Id);
        return new AdminOutcome<SavedWebhook>.Done(new SavedWebhook(View(webhook), newSecret));
    }

    private async Task<bool> AgencyExistsAsync(string agencyId, CancellationToken cancellationToken)
        => AgencyIds.IsValid(agencyId) && await agencies.FindAsync(agencyId, cancellationToken) is not null;

    /// <summary>The webhook, or null when the agency or the webhook does not exist (the two look the same).</summary>
    private async Task<WebhookEntity?> FindOwnAsync(string agencyId, string name, CancellationToken cancellationToken)
        => AgencyIds.IsValid(agencyId) && WebhookNames.IsValid(name) ? await store.FindAsync(agencyId, name, cancellationToken) : null;

    private WebhookView View(WebhookEntity webhook)
        => new(
            webhook.PartitionKey,
            webhook.RowKey,
            Enum.Parse<WebhookFormat>(webhook.Format),
            webhook.MaskedUrl,
            webhook.CreatedAt,
            webhook.CreatedBy,
            webhook.UpdatedAt,
            webhook.UpdatedBy,
            webhook.DisabledAt,
            webhook.SealedPreviousSecret is not null && webhook.PreviousSecretUntil > clock.GetUtcNow() ? webhook.PreviousSecretUntil : null,
            [.. WebhookStore.Attempts(webhook).Select(attempt => new WebhookAttemptView(attempt.Attempt, attempt.At, attempt.Outcome, attempt.Status, attempt.NextAttemptAt))]);

    private static AdminOutcome<T> Refused<T>(AdminRefusal refusal)
        => refusal == AdminRefusal.OutsideNetwork ? new AdminOutcome<T>.OutsideNetwork() : new AdminOutcome<T>.Forbidden();

    private static AdminOutcome<T> Invalid<T>(string field, string code) => new AdminOutcome<T>.Invalid([new ValidationError(field, code)]);
}

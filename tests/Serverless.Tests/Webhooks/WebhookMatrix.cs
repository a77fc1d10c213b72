using Serverless.Notifications.Webhooks;
using Serverless.Tests.Identity;

namespace Serverless.Tests.Webhooks;

/// <summary>Webhooks for the authorization matrix's rows, written straight to the table (a cell's set-up must not
/// depend on the admin API it is about to ask). Their URL is a public address literal: nothing resolves it, and
/// nothing is ever sent to it.</summary>
internal static class WebhookMatrix
{
    public const string PublicUrl = "https://20.43.64.1/hooks/matrix";

    public static async Task<string> NewWebhookAsync(MatrixWorld world, WebhookFormat format)
    {
        var name = "matrix-hook-" + world.Next();
        var cipher = world.Host.Get<WebhookCipher>();
        var now = world.Host.Get<TimeProvider>().GetUtcNow();
        var webhook = new WebhookEntity
        {
            PartitionKey = MatrixWorld.OtherAgency,
            RowKey = name,
            Format = format.ToString(),
            SealedUrl = cipher.Encrypt(PublicUrl, MatrixWorld.OtherAgency, name, WebhookFields.Url),
            MaskedUrl = WebhookUrls.Mask(new Uri(PublicUrl)),
            SealedSecret = format == WebhookFormat.Generic ? cipher.Encrypt(WebhookSigning.NewSecret(), MatrixWorld.OtherAgency, name, WebhookFields.Secret) : null,
            CreatedAt = now,
            CreatedBy = "matrix",
            UpdatedAt = now,
            UpdatedBy = "matrix",
        };
        Assert.True(await world.Host.Get<WebhookStore>().TryAddAsync(webhook, CancellationToken.None));
        return name;
    }
}

using System.Net.Http.Headers;
using System.Text;

namespace Serverless.Notifications.Webhooks;

/// <summary>What a POST to a webhook came to: the outcome and, when the receiver answered, its status.</summary>
public sealed record WebhookSendResult(WebhookOutcome Outcome, int? Status);

/// <summary>POSTs one body to one webhook URL and classifies the answer. Reads no response body; never logs (the
/// URL is a credential, and exceptions of the HTTP stack name the host).</summary>
public sealed class WebhookSender(WebhookTransport transport)
{
    public async Task<WebhookSendResult> PostAsync(Uri url, string body, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("child-protection-council-webhooks", "1"));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await transport.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            var outcome = status is >= 200 and < 300 ? WebhookOutcome.Delivered
                : status == 410 ? WebhookOutcome.Gone
                : WebhookOutcome.HttpError;
            return new WebhookSendResult(outcome, status);
        }
        catch (HttpRequestException ex) when (Refused(ex))
        {
            return new WebhookSendResult(WebhookOutcome.AddressRefused, null);
        }
        catch (HttpRequestException)
        {
            return new WebhookSendResult(WebhookOutcome.ConnectionFailed, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookSendResult(WebhookOutcome.Timeout, null);
        }
    }

    private static bool Refused(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is WebhookAddressRefusedException)
            {
                return true;
            }
        }

        return false;
    }
}

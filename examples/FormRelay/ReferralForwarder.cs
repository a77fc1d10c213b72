using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace FormRelay;

/// <summary>What became of a forwarded concern.</summary>
public abstract record Forwarded
{
    /// <summary>Stored (or stored before: a repeat gets the first receipt).</summary>
    public sealed record Received(string ReceiptNumber) : Forwarded;

    /// <summary>The app refused the form's content (400): its messages, in Japanese, for the person to correct.</summary>
    public sealed record Invalid(IReadOnlyList<string> Messages) : Forwarded;

    /// <summary>This page's submission was already sent with other content (the person went back and changed it): the
    /// first stands; a new concern needs a new page.</summary>
    public sealed record AlreadySent : Forwarded;

    /// <summary>Not stored as far as the relay knows (the app unreachable, busy, or refusing the key): try again later.</summary>
    public sealed record Failed(int? Status) : Forwarded;
}

/// <summary>
/// Posts one concern to <c>POST /api/referrals</c> as the agency's form. Every try carries the same
/// <c>Idempotency-Key: "form-{submissionId}"</c>, so trying again after a lost answer, a 409, a 429 or a 5xx cannot store it
/// twice. Logs the submission id and the status only, never what the form says.
/// </summary>
public sealed class ReferralForwarder(IHttpClientFactory clients, IOptions<FormRelayOptions> options, ILogger<ReferralForwarder> logger)
{
    /// <summary>Tries at most this many times, waiting 0.5 s then 1 s.</summary>
    public const int MaxAttempts = 3;

    public async Task<Forwarded> ForwardAsync(ConcernForm concern, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(FormRelayApp.ClientName);
        var body = concern.Body.ToJsonString();
        for (var attempt = 1; ; attempt++)
        {
            int? status = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/referrals")
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new AuthenticationHeaderValue("SubmissionKey", options.Value.SubmissionKey);
                request.Headers.TryAddWithoutValidation("Idempotency-Key", $"\"form-{concern.SubmissionId}\"");
                request.Headers.AcceptLanguage.ParseAdd("ja");
                using var response = await client.SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
                logger.LogInformation("Submission {SubmissionId} forwarded: {Status} (try {Attempt})", concern.SubmissionId, status, attempt);
                if (response.IsSuccessStatusCode)
                {
                    var receipt = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                    return new Forwarded.Received((string?)receipt?["receiptNumber"] ?? "");
                }

                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                    var messages = problem?["errors"]?.AsArray().Select(error => (string?)error?["message"]).OfType<string>().ToList() ?? [];
                    return new Forwarded.Invalid(messages.Count > 0 ? messages : [(string?)problem?["title"] ?? "入力を確かめてください。"]);
                }

                if (response.StatusCode == HttpStatusCode.UnprocessableEntity)
                {
                    return new Forwarded.AlreadySent(); // request.idempotency-key-reused
                }

                // 409: the first try with this key is still running (request.idempotency-key-in-flight): try again.
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict) && status < 500)
                {
                    return new Forwarded.Failed(status); // the key revoked or refused: trying again will not help
                }
            }
            catch (HttpRequestException)
            {
                logger.LogWarning("Submission {SubmissionId}: the app could not be reached (try {Attempt})", concern.SubmissionId, attempt);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Submission {SubmissionId}: the app did not answer in time (try {Attempt})", concern.SubmissionId, attempt);
            }

            if (attempt >= MaxAttempts)
            {
                return new Forwarded.Failed(status);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellationToken);
        }
    }
}

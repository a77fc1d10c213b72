using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FormRelay;

/// <summary>
/// The relay: <c>GET /</c> serves the concern form (with a fresh submission id in a hidden field), <c>POST /concern</c>
/// forwards it to the case-sharing app's <c>POST /api/referrals</c> with <c>Authorization: SubmissionKey …</c> and
/// <c>Idempotency-Key: form-{submissionId}</c>, so a form posted twice (a double tap, a reload, a retry after a lost
/// answer) is stored once and answered with the same receipt. The key lives in this server's configuration only.
/// </summary>
public static class FormRelayApp
{
    public const string ClientName = "case-sharing";

    /// <summary>The largest form the relay reads: the app's narrative limit (10,000 characters) with room to spare.</summary>
    public const long MaxFormBytes = 128 * 1024;

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Non-secret settings from formrelay.settings.json beside the program; the environment and the command line win.
        var settings = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = Path.Combine(AppContext.BaseDirectory, "formrelay.settings.json"),
            Optional = true,
        };
        settings.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, settings);
        builder.Services.AddOptions<FormRelayOptions>().BindConfiguration("FormRelay").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient(ClientName, (services, client) =>
        {
            client.BaseAddress = services.GetRequiredService<IOptions<FormRelayOptions>>().Value.ApiBaseUrl;
            client.Timeout = TimeSpan.FromSeconds(20);
        });
        builder.Services.AddSingleton<ReferralForwarder>();

        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // Every page: never cached, never framed, no referrer, no script at all.
            var headers = context.Response.Headers;
            headers.CacheControl = "no-store";
            headers.ContentSecurityPolicy = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            await next(context);
        });

        app.MapGet("/", (IOptions<FormRelayOptions> options) => Html(ConcernPage.Form(options.Value.AgencyName, NewSubmissionId())));
        app.MapPost("/concern", async (HttpRequest request, ReferralForwarder forwarder, IOptions<FormRelayOptions> options, CancellationToken cancellationToken) =>
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var concern = ConcernForm.Read(form);
            if (concern is null)
            {
                return Html(ConcernPage.Refused(options.Value.AgencyName), StatusCodes.Status400BadRequest);
            }

            var forwarded = await forwarder.ForwardAsync(concern, cancellationToken);
            return forwarded switch
            {
                Forwarded.Received received => Html(ConcernPage.Receipt(options.Value.AgencyName, received.ReceiptNumber)),
                Forwarded.Invalid invalid => Html(ConcernPage.Invalid(options.Value.AgencyName, invalid.Messages), StatusCodes.Status400BadRequest),
                Forwarded.AlreadySent => Html(ConcernPage.AlreadySent(options.Value.AgencyName), StatusCodes.Status409Conflict),
                _ => Html(ConcernPage.Failed(options.Value.AgencyName), StatusCodes.Status502BadGateway),
            };
        }).WithMetadata(new RequestSizeLimitAttribute(MaxFormBytes)).DisableAntiforgery();

        return app;
    }

    /// <summary>128 random bits: the page's one submission, so a repeat of the same page is the same referral.</summary>
    private static string NewSubmissionId() => Guid.NewGuid().ToString("N");

    private static IResult Html(string page, int status = StatusCodes.Status200OK)
        => Results.Content(page, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}

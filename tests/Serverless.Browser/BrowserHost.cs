using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Serverless.DevHost;
using Serverless.Identity.Tokens;
using Serverless.Testing;

namespace Serverless.Browser;

/// <summary>
/// One local host over the test Azurite (<c>SERVERLESS_TEST_STORAGE</c>, a fresh name prefix, the demo town seeded) and one
/// Debian chromium (<c>SERVERLESS_TEST_CHROMIUM</c>, else /usr/bin/chromium) for the whole class; each test opens its own
/// browser context, so no test shares a session or sessionStorage with another. Screenshots go to TestResults/browser/.
/// </summary>
public class BrowserHost : IAsyncLifetime
{
    /// <summary>The flags Debian's chromium needs on these machines (../shared/TOOLCHAIN.md): no sandbox as root, no GPU,
    /// and none of the background connections the closed network refuses.</summary>
    private static readonly string[] ChromiumFlags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private WebApplication? _host;
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    /// <summary>The local host's services, for setting up what no API a test person may call sets up (an agency's name).</summary>
    public IServiceProvider Services => _host!.Services;

    /// <summary>More settings for the local host (<c>--Section:Key value</c> pairs), for a fixture that needs them.</summary>
    protected virtual IEnumerable<string> Settings => [];

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryPaths.Root, "TestResults", "browser");

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable("SERVERLESS_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"chromium is not installed ({chromium} is missing). Install Debian's package (`sudo apt-get install chromium`) or set "
                + "SERVERLESS_TEST_CHROMIUM to a Chromium binary; `dotnet run --project tools/Dev -- test` installs it itself when CI=true.");
        }

        var storage = Environment.GetEnvironmentVariable("SERVERLESS_TEST_STORAGE") is { Length: > 0 } s ? s : "UseDevelopmentStorage=true";
        _host = DevHostApplication.Build(
            ["--urls", "http://127.0.0.1:0", "--Storage:ConnectionString", storage, "--Storage:NamePrefix", "w" + Guid.NewGuid().ToString("N")[..12], .. Settings],
            new DevHostOptions { SeedDemoData = true });
        await _host.StartAsync();
        BaseAddress = new Uri(_host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        Api = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Args = ChromiumFlags, Headless = true });
    }

    /// <summary>A phone (390×844, touch, Japanese) with nothing stored yet.</summary>
    public async Task<IPage> NewPhoneAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
            Locale = "ja-JP",
            TimezoneId = "Asia/Tokyo",
        });
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name)
        => page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Calls the API directly as a demo person (setting up what the browser then shows).</summary>
    public async Task<JsonObject> SendAsync(string subject, HttpMethod method, string path, JsonNode? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, subject, TimeSpan.FromMinutes(10), TimeProvider.System));
        using var response = await Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} as {subject}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        if (_host is not null)
        {
            await _host.StopAsync();
            await _host.DisposeAsync();
        }
    }
}

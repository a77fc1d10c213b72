using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Serverless.Browser;

/// <summary>
/// The app on a slow mobile network: Chromium's own network emulation (the DevTools "Slow 3G" profile: 2,000 ms
/// round trip, 50,000 bytes a second each way) from the first byte. A teacher signs in, finds the case in her list
/// and opens its timeline. What is proven is that every step works on that network; how long each took is printed,
/// not asserted (a timed test would flake on a busy machine).
/// </summary>
public sealed class SlowNetworkTests(BrowserHost host, ITestOutputHelper output) : IClassFixture<BrowserHost>
{
    /// <summary>Chromium DevTools' "Slow 3G" preset (front_end/core/sdk/NetworkManager.ts): 400 ms × 5, 500 kbit/s × 0.8.</summary>
    private static readonly Dictionary<string, object> Slow3G = new()
    {
        ["offline"] = false,
        ["latency"] = 2000,
        ["downloadThroughput"] = 50_000,
        ["uploadThroughput"] = 50_000,
    };

    /// <summary>Long enough for a screen of a few requests at 2 s each; a page that needs more is not usable on 3G.</summary>
    private static readonly float Patience = (float)TimeSpan.FromSeconds(60).TotalMilliseconds;

    [Fact]
    public async Task OnASlow3GNetworkATeacherSignsInFindsHerCaseAndReadsItsTimeline()
    {
        var caseId = await HostileCase.CreateAsync(host);
        var page = await host.NewPhoneAsync();
        var network = await page.Context.NewCDPSessionAsync(page);
        await network.SendAsync("Network.enable");
        await network.SendAsync("Network.emulateNetworkConditions", Slow3G);
        var clock = Stopwatch.StartNew();

        await page.GotoAsync("app/", new() { Timeout = Patience });
        var me = page.Locator("[data-subject='teacher-tanaka']");
        await Assertions.Expect(me).ToBeVisibleAsync(new() { Timeout = Patience });
        var signInScreen = clock.Elapsed;

        await me.ClickAsync();
        var caseLink = page.Locator($"a[data-case-id='{caseId}']");
        await Assertions.Expect(caseLink).ToBeVisibleAsync(new() { Timeout = Patience });
        var myCases = clock.Elapsed;

        await caseLink.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"{HostileCase.Family} {HostileCase.Given}", new() { Timeout = Patience });
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "状況を報告する" })).ToBeVisibleAsync(new() { Timeout = Patience });
        var caseScreen = clock.Elapsed;
        await BrowserHost.ScreenshotAsync(page, "slow-3g-case");

        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        output.WriteLine(
            $"Slow 3G (2,000 ms, 50,000 B/s): sign-in screen usable after {signInScreen.TotalSeconds:F1} s, " +
            $"my cases after {(myCases - signInScreen).TotalSeconds:F1} s more, the case and its timeline after {(caseScreen - myCases).TotalSeconds:F1} s more");
    }
}

using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Serverless.Browser;

/// <summary>axe-core finds no serious or critical violation on any screen of the slice.</summary>
public sealed class AccessibilityTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task NoScreenHasASeriousOrCriticalViolation()
    {
        var caseId = await HostileCase.CreateAsync(host);
        var page = await host.NewPhoneAsync();
        var found = new List<string>();

        await page.GotoAsync("app/");
        await page.Locator("[data-subject='nurse-suzuki']").WaitForAsync();
        await CheckAsync(page, "sign-in", found);
        await page.Locator("[data-subject='nurse-suzuki']").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("担当のケース");
        await CheckAsync(page, "my cases", found);
        await page.GotoAsync($"app/#/cases/{caseId}");
        await page.Locator("h2").First.WaitForAsync();
        await CheckAsync(page, "case", found);
        await page.GotoAsync($"app/#/cases/{caseId}/report");
        await page.Locator("form").WaitForAsync();
        await CheckAsync(page, "add a report", found);
        await page.GotoAsync("app/#/inbox");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("お知らせ");
        await CheckAsync(page, "inbox", found);

        Assert.Empty(found);
    }

    internal static async Task CheckAsync(IPage page, string screen, List<string> found)
    {
        var results = await page.RunAxe();
        found.AddRange(results.Violations
            .Where(violation => violation.Impact is "serious" or "critical")
            .Select(violation => $"{screen}: {violation.Id} ({violation.Impact}) at {string.Join(", ", violation.Nodes.Select(node => node.Target?.ToString()))}"));
    }
}

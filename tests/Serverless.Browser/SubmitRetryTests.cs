using Microsoft.Playwright;

namespace Serverless.Browser;

/// <summary>
/// The page's one submit helper (web/submit.js): a comment whose first tries get 429 and 503 is sent again with the
/// same Idempotency-Key, its draft stays in sessionStorage until the receipt arrives, and one comment results.
/// </summary>
public sealed class SubmitRetryTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task A429AndA503AreRetriedWithTheSameKeyAndTheDraftStaysUntilTheReceipt()
    {
        var caseId = await HostileCase.CreateAsync(host);
        var page = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(page, "teacher-tanaka");
        await page.GotoAsync($"app/#/cases/{caseId}");
        await page.GetByLabel("コメント", new() { Exact = true }).FillAsync("再送されるコメント");

        var keys = new List<string>();
        var draftsWhileFailing = new List<string?>();
        await page.RouteAsync("**/api/cases/*/comments", async route =>
        {
            keys.Add(route.Request.Headers["idempotency-key"]);
            if (keys.Count <= 2)
            {
                draftsWhileFailing.Add(await page.EvaluateAsync<string?>($"() => sessionStorage.getItem('draft.comment.{caseId}')"));
                await route.FulfillAsync(new()
                {
                    Status = keys.Count == 1 ? 429 : 503,
                    ContentType = "application/problem+json",
                    Body = "{\"title\":\"busy\",\"status\":503}",
                });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "コメントを送る" }).ClickAsync();

        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("コメントを受け付けました", new() { Timeout = 30_000 });
        await BrowserHost.ScreenshotAsync(page, "40-comment-after-retries");
        var found = new List<string>();
        await AccessibilityTests.CheckAsync(page, "case after a retried comment", found);
        Assert.Empty(found);
        Assert.Equal(3, keys.Count);
        Assert.All(keys, key => Assert.Equal(keys[0], key));
        Assert.All(draftsWhileFailing, draft => Assert.Contains("再送されるコメント", draft));
        Assert.Null(await page.EvaluateAsync<string?>($"() => sessionStorage.getItem('draft.comment.{caseId}')"));
        await Assertions.Expect(page.Locator("li[data-entry-type='comment'] .narrative")).ToHaveTextAsync("再送されるコメント");
    }
}

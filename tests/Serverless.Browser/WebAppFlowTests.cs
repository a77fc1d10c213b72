using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Serverless.Browser;

/// <summary>
/// The first vertical slice of the web app, on a phone: a teacher reports, the nurse on the same case sees it in her
/// inbox and the timeline, a teacher of the same school who is not named on the case sees nothing of it, and hostile
/// names and narratives stay text. Each screen is saved under TestResults/browser/.
/// </summary>
public sealed class WebAppFlowTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TeacherReportsAndTheNurseSeesItButAnUnnamedTeacherSeesNothing()
    {
        var caseId = await HostileCase.CreateAsync(host);

        // The teacher: picks herself, opens the case from her list, reports (urgent) with a hostile narrative.
        var teacher = await host.NewPhoneAsync();
        await SignInAsync(teacher, "teacher-tanaka");
        await BrowserHost.ScreenshotAsync(teacher, "01-my-cases");
        var caseLink = teacher.Locator($"a[data-case-id='{caseId}']");
        await Assertions.Expect(caseLink).ToContainTextAsync(HostileCase.Family);
        await caseLink.ClickAsync();
        await Assertions.Expect(teacher.Locator("h1")).ToHaveTextAsync($"{HostileCase.Family} {HostileCase.Given}");
        await BrowserHost.ScreenshotAsync(teacher, "02-case");
        Assert.DoesNotContain(HostileCase.Family, await teacher.TitleAsync());
        Assert.Matches(new Regex("^http://[^?]+/app/#/cases/[0-9A-Za-z_-]+$"), teacher.Url);

        await teacher.GetByRole(AriaRole.Link, new() { Name = "状況を報告する" }).ClickAsync();
        await teacher.GetByLabel("種類").SelectOptionAsync("injury");
        await teacher.GetByLabel("緊急（すぐに対応が必要）").CheckAsync();
        await teacher.GetByLabel("見たこと・聞いたこと").FillAsync(HostileCase.Narrative);
        await BrowserHost.ScreenshotAsync(teacher, "03-add-report");

        // The first try reaches the API but its answer is lost on the way back: the page retries with the same key,
        // and the API answers with the first receipt instead of storing the report twice.
        var keys = new List<string>();
        await teacher.RouteAsync("**/api/cases/*/reports", async route =>
        {
            keys.Add(route.Request.Headers["idempotency-key"]);
            if (keys.Count == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync("connectionreset");
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await teacher.GetByRole(AriaRole.Button, new() { Name = "送信する" }).ClickAsync();
        var receipt = teacher.Locator(".receipt");
        await Assertions.Expect(receipt).ToContainTextAsync("受け付けました", new() { Timeout = (float)Patience.TotalMilliseconds });
        await BrowserHost.ScreenshotAsync(teacher, "04-report-receipt");
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        Assert.Null(await teacher.EvaluateAsync<string?>("() => sessionStorage.getItem('draft.report." + caseId + "')"));

        await teacher.GetByRole(AriaRole.Link, new() { Name = "ケースに戻る" }).ClickAsync();
        await Assertions.Expect(teacher.Locator(".narrative")).ToHaveCountAsync(1);
        await Assertions.Expect(teacher.Locator(".narrative").First).ToHaveTextAsync(HostileCase.Narrative);
        await AssertNothingRanAsync(teacher);
        await SignOutAsync(teacher);

        // The nurse: her inbox shows the urgent report, unread first; opening it leads to the timeline.
        var nurse = await host.NewPhoneAsync();
        await SignInAsync(nurse, "nurse-suzuki");
        var urgent = nurse.Locator("li[data-urgent='true'].unread");
        var deadline = DateTime.UtcNow + Patience;
        await nurse.GotoAsync("app/#/inbox");
        while (await urgent.CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            // The notifications are written by a queue function: give it a moment, then look again.
            await Task.Delay(1000);
            await nurse.ReloadAsync();
            await nurse.Locator("h1").WaitForAsync();
        }

        await Assertions.Expect(urgent.First).ToContainTextAsync("緊急");
        Assert.Equal("true", await nurse.Locator("ul.list > li").First.GetAttributeAsync("data-urgent"));
        await BrowserHost.ScreenshotAsync(nurse, "05-inbox");
        await urgent.First.Locator("button").ClickAsync();
        await Assertions.Expect(nurse.Locator(".narrative").First).ToHaveTextAsync(HostileCase.Narrative);
        await BrowserHost.ScreenshotAsync(nurse, "06-nurse-timeline");
        await AssertNothingRanAsync(nurse);

        // The teacher who is not named on the case: not in her list, and its id alone gets "not found", nothing of it.
        var other = await host.NewPhoneAsync();
        await SignInAsync(other, "teacher-kimura");
        await Assertions.Expect(other.Locator("h1")).ToHaveTextAsync("担当のケース");
        await Assertions.Expect(other.Locator($"a[data-case-id='{caseId}']")).ToHaveCountAsync(0);
        await other.GotoAsync($"app/#/cases/{caseId}");
        await Assertions.Expect(other.Locator(".error")).ToContainTextAsync("見つかりません");
        var text = await other.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("あざ", text);
        Assert.DoesNotContain("window.__pwned", text);
        await BrowserHost.ScreenshotAsync(other, "07-unnamed-teacher");
    }

    [Fact]
    public async Task ADraftSurvivesAReloadAndSignOutClearsIt()
    {
        var caseId = await HostileCase.CreateAsync(host);
        var page = await host.NewPhoneAsync();
        await SignInAsync(page, "teacher-tanaka");
        await page.GotoAsync($"app/#/cases/{caseId}/report");
        await page.GetByLabel("見たこと・聞いたこと").FillAsync("下書きの本文");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByLabel("見たこと・聞いたこと")).ToHaveValueAsync("下書きの本文");

        await SignOutAsync(page);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => sessionStorage.length"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
    }

    [Fact]
    public async Task ThirtyIdleMinutesSignOutAndClearTheDraft()
    {
        var caseId = await HostileCase.CreateAsync(host);
        var page = await host.NewPhoneAsync();
        await page.Clock.InstallAsync();
        await SignInAsync(page, "teacher-tanaka");
        await page.GotoAsync($"app/#/cases/{caseId}/report");
        await page.GetByLabel("見たこと・聞いたこと").FillAsync("下書きの本文");

        await page.Clock.FastForwardAsync("29:00");
        Assert.NotEqual(0, await page.EvaluateAsync<int>("() => sessionStorage.length"));
        await page.Clock.FastForwardAsync("02:00");
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("しばらく操作がなかったため");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => sessionStorage.length"));
        await Assertions.Expect(page.Locator("[data-subject='teacher-tanaka']")).ToBeVisibleAsync();
    }

    internal static async Task SignInAsync(IPage page, string subject)
    {
        await page.GotoAsync("app/");
        await BrowserHost.ScreenshotAsync(page, "00-sign-in");
        await page.Locator($"[data-subject='{subject}']").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("担当のケース");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => localStorage.length"));
    }

    internal static async Task SignOutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "サインアウト" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("サインアウトしました。");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => sessionStorage.length"));
    }

    internal static async Task AssertNothingRanAsync(IPage page)
    {
        Assert.Null(await page.EvaluateAsync<object?>("() => window.__pwned ?? null"));
        Assert.Equal(0, await page.Locator("main img, main script, main b").CountAsync());
    }
}

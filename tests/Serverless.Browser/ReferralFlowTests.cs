using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Serverless.Browser;

/// <summary>
/// The local host with a 29-hour safety-confirmation limit (a council may set less than 48): the demo's neighbour's
/// call, received 30 hours before start-up, is overdue; a referral received now has 29 hours left.
/// </summary>
public sealed class ShortClockBrowserHost : BrowserHost
{
    protected override IEnumerable<string> Settings =>
        ["--Referrals:SafetyConfirmationLimit", "1.05:00:00", "--Referrals:ReminderLead", "01:00:00"];
}

/// <summary>
/// Coordinators on a phone (docs/web-app.md): the open referrals with their countdown, overdue first and in red, and
/// the triage of one into a new case, which then opens with the referral's summary on its timeline. A member who sent
/// one sees only its receipt.
/// </summary>
public sealed class ReferralFlowTests(ShortClockBrowserHost host) : IClassFixture<ShortClockBrowserHost>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheCoordinatorSeesTheCountdownsAndTriagesAReferralIntoACase()
    {
        var family = "<script>window.__pwned=9</script>";
        var receipt = await host.SendAsync("teacher-tanaka", HttpMethod.Post, "api/referrals", new JsonObject
        {
            ["kind"] = "abuse-report",
            ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ssK"),
            ["narrative"] = "朝、右の頬にあざ。\"><img src=x onerror=\"window.__pwned=10\">",
            ["child"] = new JsonObject
            {
                ["name"] = new JsonObject { ["family"] = family, ["given"] = "はると", ["familyKana"] = "ツウコク", ["givenKana"] = "ハルト" + Guid.NewGuid().ToString("N")[..4] },
                ["approximateAge"] = 8,
                ["schoolOrNursery"] = "南小学校",
            },
        });
        var referralId = receipt["referralId"]!.GetValue<string>();
        var found = new List<string>();

        var page = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(page, "coordinator-sato");
        await page.GetByRole(AriaRole.Link, new() { Name = "通告・相談" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("対応中の通告・相談");

        // Overdue first, in red; the new one counts down from 29 hours.
        var first = page.Locator("li[data-referral-id]").First;
        Assert.Equal("true", await first.GetAttributeAsync("data-overdue"));
        await Assertions.Expect(first.Locator(".countdown.overdue")).ToContainTextAsync("過ぎています");
        Assert.Equal("rgb(176, 0, 32)", await first.Locator(".countdown").EvaluateAsync<string>("element => getComputedStyle(element).color"));
        var mine = page.Locator($"li[data-referral-id='{referralId}']");
        Assert.Equal("false", await mine.GetAttributeAsync("data-overdue"));
        await Assertions.Expect(mine.Locator(".countdown")).ToContainTextAsync("残り28時間");
        await Assertions.Expect(mine.Locator(".countdown.overdue")).ToHaveCountAsync(0);
        await BrowserHost.ScreenshotAsync(page, "30-open-referrals");
        await AccessibilityTests.CheckAsync(page, "open referrals", found);

        // Triage into a new case: the case opens with the coordinator's summary on its timeline.
        await mine.Locator("a").ClickAsync();
        await page.Locator("#triage-summary").WaitForAsync();
        await BrowserHost.ScreenshotAsync(page, "31-referral");
        await Assertions.Expect(page.Locator(".narrative")).ToContainTextAsync("onerror");
        await page.GetByLabel("ケースの関係機関が読む要約（通告者がわかることは書かない）").FillAsync("頬のあざについて通告あり。学校で様子を見てください。");
        await BrowserHost.ScreenshotAsync(page, "31-triage");
        await AccessibilityTests.CheckAsync(page, "triage", found);
        await page.GetByRole(AriaRole.Button, new() { Name = "新しいケースとして登録する" }).ClickAsync();
        await Assertions.Expect(page.Locator(".receipt")).ToContainTextAsync("決定しました", new() { Timeout = (float)Patience.TotalMilliseconds });
        await BrowserHost.ScreenshotAsync(page, "32-triaged");
        await page.GetByRole(AriaRole.Link, new() { Name = "登録したケースを開く" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync($"{family} はると");
        await Assertions.Expect(page.Locator("li[data-entry-type='referral']")).ToHaveCountAsync(1);
        await WebAppFlowTests.AssertNothingRanAsync(page);

        // Decided, it leaves nothing to triage (its clock runs on until someone sees the child).
        await page.GotoAsync($"app/#/referrals/{referralId}");
        await Assertions.Expect(page.Locator(".receipt")).ToContainTextAsync("決定しました");
        Assert.Equal(0, await page.Locator("form").CountAsync());
        await WebAppFlowTests.SignOutAsync(page);

        // The teacher who sent it sees its receipt and state only.
        var teacher = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(teacher, "teacher-tanaka");
        await teacher.GetByRole(AriaRole.Link, new() { Name = "通告・相談" }).ClickAsync();
        await Assertions.Expect(teacher.Locator("h1")).ToHaveTextAsync("通告・相談");
        await Assertions.Expect(teacher.Locator($"li[data-referral-id='{referralId}']")).ToContainTextAsync("決定");
        Assert.DoesNotContain("あざ", await teacher.Locator("main").InnerTextAsync());
        await BrowserHost.ScreenshotAsync(teacher, "33-member-receipts");
        await AccessibilityTests.CheckAsync(teacher, "a member's referrals", found);
        Assert.Empty(found);
    }
}

using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Serverless.DevHost;

namespace Serverless.Browser;

/// <summary>
/// A teacher of the same school who is not named on the case sees nothing of it on any screen (docs/web-app.md): not in
/// her list, not in her inbox (while the named teacher's mention has arrived), "not found" for its id, for a report sent
/// to it, and for a referral's id; the text of the case appears nowhere.
/// </summary>
public sealed class UnnamedTeacherTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private const string NotFound = "見つかりません（削除されたか、見る権限がありません）";

    [Fact]
    public async Task ATeacherNotNamedOnTheCaseSeesNothingOfIt()
    {
        var caseId = await HostileCase.CreateAsync(host);
        var report = await host.SendAsync("teacher-tanaka", HttpMethod.Post, $"api/cases/{caseId}/reports", new JsonObject
        {
            ["kind"] = "injury",
            ["urgency"] = "urgent",
            ["observedAt"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("yyyy-MM-dd'T'HH:mm:ssK"),
            ["narrative"] = "左腕に新しいあざ。",
            ["scope"] = new JsonObject { ["audience"] = "all-participants" },
        });
        await host.SendAsync("nurse-suzuki", HttpMethod.Post, $"api/cases/{caseId}/comments", new JsonObject
        {
            ["text"] = "家庭訪問で確認します。",
            ["inReplyTo"] = report["entryId"]!.GetValue<string>(),
            ["mentions"] = new JsonObject
            {
                ["personIds"] = new JsonArray(DemoPeople.PersonId("teacher-tanaka")),
                ["agencyIds"] = new JsonArray("minami-shogakko"),
            },
        });
        var referral = await host.SendAsync("nursery-yamada", HttpMethod.Post, "api/referrals", new JsonObject
        {
            ["kind"] = "care-consultation",
            ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-dd'T'HH:mm:ssK"),
            ["narrative"] = "お迎えが毎日遅い。",
            ["child"] = new JsonObject { ["name"] = new JsonObject { ["family"] = "相談" }, ["schoolOrNursery"] = "ひかり保育園" },
        });
        var found = new List<string>();

        // The named teacher's mention arrives: the notifications for this comment have been written.
        var named = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(named, "teacher-tanaka");
        await CommentFlowTests.WaitInInboxAsync(named, $"li[data-case-id='{caseId}'][data-mentioned='true']");

        var other = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(other, "teacher-kimura");
        await Assertions.Expect(other.Locator($"a[data-case-id='{caseId}']")).ToHaveCountAsync(0);

        await other.GotoAsync("app/#/inbox");
        await Assertions.Expect(other.Locator("h1")).ToHaveTextAsync("お知らせ");
        await Assertions.Expect(other.Locator($"li[data-case-id='{caseId}']")).ToHaveCountAsync(0);

        await other.GotoAsync($"app/#/cases/{caseId}");
        await Assertions.Expect(other.Locator(".error")).ToContainTextAsync(NotFound);
        await BrowserHost.ScreenshotAsync(other, "40-unnamed-teacher-not-found");
        await AccessibilityTests.CheckAsync(other, "not found", found);
        await AssertNothingOfTheCaseAsync(other);

        // A report typed against the case's id is refused exactly like one to a case that does not exist.
        await other.GotoAsync($"app/#/cases/{caseId}/report");
        await other.GetByLabel("見たこと・聞いたこと").FillAsync("テスト");
        await other.GetByRole(AriaRole.Button, new() { Name = "送信する" }).ClickAsync();
        await Assertions.Expect(other.Locator("form .error")).ToContainTextAsync(NotFound);
        await BrowserHost.ScreenshotAsync(other, "41-unnamed-teacher-report-refused");

        // Someone else's referral: the same "not found".
        await other.GotoAsync($"app/#/referrals/{referral["referralId"]!.GetValue<string>()}");
        await Assertions.Expect(other.Locator(".error")).ToContainTextAsync(NotFound);
        Assert.DoesNotContain("お迎え", await other.Locator("body").InnerTextAsync());
        Assert.Empty(found);
    }

    private static async Task AssertNothingOfTheCaseAsync(IPage page)
    {
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("あざ", text);
        Assert.DoesNotContain("家庭訪問", text);
        Assert.DoesNotContain("window.__pwned", text);
    }
}

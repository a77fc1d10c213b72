using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Serverless.Browser;

/// <summary>
/// Comments with mentions (docs/web-app.md): the nurse finds the teacher's report in her inbox and the timeline, answers
/// it with a comment that mentions the teacher, and the teacher's inbox shows the mention. A comment that tries to break
/// out of text and attributes stays text. Screens are saved under TestResults/browser/ and checked with axe-core.
/// </summary>
public sealed class CommentFlowTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    public const string HostileComment = "</p><script>window.__pwned=5</script>\"><img src=x onerror=\"window.__pwned=6\">お母さんと話しました";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheNurseAnswersTheTeachersReportWithAMentionAndTheTeachersInboxShowsIt()
    {
        var caseId = await HostileCase.CreateAsync(host);
        var report = await host.SendAsync("teacher-tanaka", HttpMethod.Post, $"api/cases/{caseId}/reports", new JsonObject
        {
            ["kind"] = "childs-words",
            ["urgency"] = "routine",
            ["observedAt"] = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("yyyy-MM-dd'T'HH:mm:ssK"),
            ["narrative"] = "「家に帰りたくない」と話しました。",
            ["scope"] = new JsonObject { ["audience"] = "all-participants" },
        });
        var reportId = report["entryId"]!.GetValue<string>();
        var found = new List<string>();

        // The nurse: the report is in her inbox; opening it leads to the timeline, where she replies to it.
        var nurse = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(nurse, "nurse-suzuki");
        await WaitInInboxAsync(nurse, $"li.unread[data-case-id='{caseId}']");
        await nurse.Locator($"li.unread[data-case-id='{caseId}'] button").First.ClickAsync();
        var reportEntry = nurse.Locator($"li[data-entry-id='{reportId}']");
        await Assertions.Expect(reportEntry.Locator(".narrative")).ToHaveTextAsync("「家に帰りたくない」と話しました。");
        await reportEntry.GetByRole(AriaRole.Button, new() { Name = "返信する" }).ClickAsync();
        await Assertions.Expect(nurse.GetByLabel("この記録を書いた人にメンションする")).ToBeCheckedAsync();
        await nurse.GetByLabel("コメント", new() { Exact = true }).FillAsync(HostileComment);
        await BrowserHost.ScreenshotAsync(nurse, "10-comment-reply");
        await AccessibilityTests.CheckAsync(nurse, "case with a reply", found);
        await nurse.GetByRole(AriaRole.Button, new() { Name = "コメントを送る" }).ClickAsync();

        await Assertions.Expect(nurse.Locator("#status")).ToContainTextAsync("コメントを受け付けました", new() { Timeout = (float)Patience.TotalMilliseconds });
        var comment = nurse.Locator("li[data-entry-type='comment']");
        await Assertions.Expect(comment.Locator(".narrative")).ToHaveTextAsync(HostileComment);
        await Assertions.Expect(comment.Locator(".mentions")).ToContainTextAsync("担当者");
        await Assertions.Expect(comment).ToContainTextAsync("返信");
        Assert.Null(await nurse.EvaluateAsync<string?>($"() => sessionStorage.getItem('draft.comment.{caseId}')"));
        await BrowserHost.ScreenshotAsync(nurse, "11-comment-in-timeline");
        await WebAppFlowTests.AssertNothingRanAsync(nurse);
        await WebAppFlowTests.SignOutAsync(nurse);

        // The teacher: the mention is in her inbox; it opens the case, where the comment reads as typed.
        var teacher = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(teacher, "teacher-tanaka");
        var mention = $"li.unread[data-case-id='{caseId}'][data-mentioned='true']";
        await WaitInInboxAsync(teacher, mention);
        await Assertions.Expect(teacher.Locator(mention)).ToContainTextAsync("あなたへのメンション");
        await BrowserHost.ScreenshotAsync(teacher, "12-teacher-inbox-mention");
        await AccessibilityTests.CheckAsync(teacher, "inbox with a mention", found);
        await teacher.Locator(mention + " button").ClickAsync();
        await Assertions.Expect(teacher.Locator("li[data-entry-type='comment'] .narrative")).ToHaveTextAsync(HostileComment);
        await AccessibilityTests.CheckAsync(teacher, "case with a comment", found);
        await WebAppFlowTests.AssertNothingRanAsync(teacher);

        Assert.Empty(found);
    }

    /// <summary>Notifications are written by a queue function: reload the inbox until the item is there.</summary>
    internal static async Task WaitInInboxAsync(IPage page, string selector)
    {
        await page.GotoAsync("app/#/inbox");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("お知らせ");
        var deadline = DateTime.UtcNow + Patience;
        while (await page.Locator(selector).CountAsync() == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(1000);
            await page.ReloadAsync();
            await page.Locator("h1").WaitForAsync();
        }

        await Assertions.Expect(page.Locator(selector).First).ToBeVisibleAsync();
    }
}

using Microsoft.Playwright;

namespace Serverless.Browser;

/// <summary>
/// The concern form (相談・通告フォーム, docs/web-app.md): 「緊急のときは189または110へ」 is the first thing on it; a
/// teacher sends a concern as herself (POST /api/referrals with her token, never a submission key), gets the receipt,
/// and the coordinator finds it in the open referrals.
/// </summary>
public sealed class ConcernFormTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task ATeacherSendsAConcernAndTheCoordinatorSeesItInTheOpenReferrals()
    {
        var found = new List<string>();
        var teacher = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(teacher, "teacher-tanaka");
        await teacher.GotoAsync("app/#/referrals");
        await teacher.GetByRole(AriaRole.Link, new() { Name = "相談・通告する" }).ClickAsync();
        await Assertions.Expect(teacher.Locator("h1")).ToHaveTextAsync("相談・通告フォーム");
        var first = teacher.Locator("#main > *").First;
        await Assertions.Expect(first).ToHaveTextAsync("緊急のときは189または110へ");
        Assert.Equal("相談・通告フォーム｜ケース共有", await teacher.TitleAsync());

        await teacher.GetByLabel("種類").SelectOptionAsync("abuse-report");
        await teacher.GetByLabel("姓").FillAsync("青木");
        await teacher.GetByLabel("名", new() { Exact = true }).FillAsync("ひなた");
        await teacher.GetByLabel("おおよその年齢").FillAsync("8");
        await teacher.GetByLabel("学校・園").FillAsync("南小学校");
        await teacher.GetByLabel("見たこと・聞いたこと").FillAsync("朝の会で左のほほに赤いあざ。");
        await BrowserHost.ScreenshotAsync(teacher, "50-concern-form");
        await AccessibilityTests.CheckAsync(teacher, "concern form", found);

        var requests = new List<IRequest>();
        teacher.Request += (_, request) => { if (request.Url.EndsWith("/api/referrals", StringComparison.Ordinal)) requests.Add(request); };
        await teacher.GetByRole(AriaRole.Button, new() { Name = "送信する" }).ClickAsync();
        var receipt = teacher.Locator(".receipt");
        await Assertions.Expect(receipt).ToContainTextAsync("受け付けました", new() { Timeout = 30_000 });
        await BrowserHost.ScreenshotAsync(teacher, "51-concern-receipt");
        await AccessibilityTests.CheckAsync(teacher, "concern receipt", found);
        var referralId = await receipt.GetAttributeAsync("data-referral-id");
        Assert.False(string.IsNullOrEmpty(referralId));
        await Assertions.Expect(receipt).ToContainTextAsync("受付番号");
        var request = Assert.Single(requests);
        Assert.StartsWith("Bearer ", (await request.AllHeadersAsync())["authorization"]);
        Assert.Null(await teacher.EvaluateAsync<string?>("() => sessionStorage.getItem('draft.concern')"));
        Assert.DoesNotContain("青木", teacher.Url);
        await WebAppFlowTests.SignOutAsync(teacher);

        var coordinator = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(coordinator, "coordinator-sato");
        await coordinator.GotoAsync("app/#/referrals");
        await Assertions.Expect(coordinator.Locator($"li[data-referral-id='{referralId}']")).ToContainTextAsync("虐待通告");
        await BrowserHost.ScreenshotAsync(coordinator, "52-concern-in-open-referrals");
        Assert.Empty(found);
    }
}

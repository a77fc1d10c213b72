using Microsoft.Playwright;

namespace Serverless.Browser;

/// <summary>
/// The review ledger screen (進行管理台帳, docs/web-app.md): the coordinator sees the demo cases, overdue ones marked in
/// words as well as red, each linking to its case by id only; a teacher sees none of another agency's cases, and
/// asking for that agency's ledger says she may not.
/// </summary>
public sealed class LedgerScreenTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task TheCoordinatorSeesTheDemoCasesAndATeacherNoneOfAnotherAgencys()
    {
        var found = new List<string>();
        var coordinator = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(coordinator, "coordinator-sato");
        await coordinator.GetByRole(AriaRole.Link, new() { Name = "進行管理台帳" }).ClickAsync();
        await Assertions.Expect(coordinator.Locator("h1")).ToHaveTextAsync("進行管理台帳");
        var rows = coordinator.Locator("li[data-case-id]");
        await Assertions.Expect(rows.Filter(new() { HasText = "青木 陽向" })).ToHaveCountAsync(1);
        var morimoto = rows.Filter(new() { HasText = "森本 さくら" });
        await Assertions.Expect(morimoto).ToHaveCountAsync(1);
        var morimotoId = await morimoto.GetAttributeAsync("data-case-id");
        Assert.False(string.IsNullOrEmpty(morimotoId));
        Assert.Equal("進行管理台帳｜ケース共有", await coordinator.TitleAsync());
        Assert.EndsWith("/app/#/ledger", coordinator.Url);
        foreach (var overdue in await coordinator.Locator("li[data-overdue='true']").AllAsync())
        {
            await Assertions.Expect(overdue.Locator(".overdue")).ToContainTextAsync("過ぎています");
        }

        await BrowserHost.ScreenshotAsync(coordinator, "60-ledger-coordinator");
        await AccessibilityTests.CheckAsync(coordinator, "ledger (coordinator)", found);

        // Filtered to one agency: only the cases it takes part in.
        await coordinator.GetByLabel("機関", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "ひかり保育園" });
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "絞り込む" }).ClickAsync();
        await Assertions.Expect(rows.Filter(new() { HasText = "青木 陽向" })).ToHaveCountAsync(0);
        await Assertions.Expect(rows.Filter(new() { HasText = "森本 さくら" })).ToHaveCountAsync(1);
        await morimoto.Locator("a").ClickAsync();
        Assert.EndsWith($"/app/#/cases/{morimotoId}", coordinator.Url);

        var teacher = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(teacher, "teacher-kimura");
        await teacher.GotoAsync("app/#/ledger");
        await Assertions.Expect(teacher.Locator("h1")).ToHaveTextAsync("進行管理台帳");
        await Assertions.Expect(teacher.Locator("p.meta[aria-live]")).Not.ToBeEmptyAsync();
        await Assertions.Expect(teacher.Locator($"li[data-case-id='{morimotoId}']")).ToHaveCountAsync(0);
        await BrowserHost.ScreenshotAsync(teacher, "61-ledger-teacher");
        await AccessibilityTests.CheckAsync(teacher, "ledger (teacher)", found);
        await teacher.GetByLabel("機関", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "ひかり保育園" });
        await teacher.GetByRole(AriaRole.Button, new() { Name = "絞り込む" }).ClickAsync();
        await Assertions.Expect(teacher.Locator("[role=alert]")).ToContainTextAsync("見られません");
        await Assertions.Expect(teacher.Locator("li[data-case-id]")).ToHaveCountAsync(0);
        Assert.DoesNotContain("森本", await teacher.Locator("body").InnerTextAsync());
        Assert.Empty(found);
    }
}

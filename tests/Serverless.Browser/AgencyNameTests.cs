using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Serverless.Agencies;
using Serverless.DevHost;

namespace Serverless.Browser;

/// <summary>
/// Agencies by name (docs/web-app.md): the page reads <c>GET /api/agencies</c> once per session into sessionStorage and
/// shows each agency's Japanese name where the API gives its id (a case's lead, key and participating agencies, the
/// timeline's authors, the ledger); an agency whose name tries to break out of text and attributes is shown as typed;
/// the ledger's agency filter is a list of names; sign-out clears the list with everything else.
/// </summary>
public sealed class AgencyNameTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    private const string HostileId = "hostile-npo";
    private const string HostileName = "<script>window.__pwned=5</script>\"><img src=x onerror=\"window.__pwned=6\">NPO";

    /// <summary>The ledger test's own agency (the class shares one host): only its case takes part with it.</summary>
    private const string LedgerAgencyId = "ledger-npo";
    private const string LedgerAgencyName = HostileName + "（台帳）";

    [Fact]
    public async Task ACaseShowsItsAgenciesByNameAndAHostileNameAsText()
    {
        var caseId = await CaseWithAgencyAsync(HostileId, HostileName);
        var found = new List<string>();
        var coordinator = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(coordinator, "coordinator-sato");

        await coordinator.GotoAsync($"app/#/cases/{caseId}");
        var facts = coordinator.Locator("dl.facts");
        await Assertions.Expect(facts.Locator("dd[data-agency-id='midori-kodomo-ka']")).ToHaveTextAsync("みどり市 子ども家庭課");
        await Assertions.Expect(facts.Locator("dd[data-agency-id='minami-shogakko']")).ToHaveTextAsync("みどり市立南小学校");
        await Assertions.Expect(facts).ToContainTextAsync(HostileName); // a participant, shown exactly as registered
        var author = coordinator.Locator("li[data-entry-type='report'] .meta").First;
        await Assertions.Expect(author).ToContainTextAsync("みどり市立南小学校");
        await Assertions.Expect(coordinator.GetByLabel($"{HostileName}の担当者")).ToHaveCountAsync(1); // the mention box
        var shown = await coordinator.Locator("main").InnerTextAsync();
        Assert.DoesNotContain("minami-shogakko", shown);
        Assert.DoesNotContain("midori-kodomo-ka", shown);
        Assert.DoesNotContain(HostileId, shown);
        await WebAppFlowTests.AssertNothingRanAsync(coordinator);
        await BrowserHost.ScreenshotAsync(coordinator, "70-agency-names");
        await AccessibilityTests.CheckAsync(coordinator, "case with agency names", found);

        // Kept in sessionStorage for the session, never in localStorage; sign-out clears it with everything else.
        Assert.Contains("みどり市立南小学校", await coordinator.EvaluateAsync<string>("() => sessionStorage.getItem('agencies')"));
        Assert.Equal(0, await coordinator.EvaluateAsync<int>("() => localStorage.length"));
        await WebAppFlowTests.SignOutAsync(coordinator);
        Assert.Empty(found);
    }

    [Fact]
    public async Task TheLedgerFiltersByAnAgencyChosenByName()
    {
        var caseId = await CaseWithAgencyAsync(LedgerAgencyId, LedgerAgencyName);
        var found = new List<string>();
        var coordinator = await host.NewPhoneAsync();
        await WebAppFlowTests.SignInAsync(coordinator, "coordinator-sato");
        await coordinator.GotoAsync("app/#/ledger");
        await Assertions.Expect(coordinator.Locator("h1")).ToHaveTextAsync("進行管理台帳");
        var rows = coordinator.Locator("li[data-case-id]");
        await Assertions.Expect(rows.Filter(new() { HasText = "青木 陽向" })).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Filter(new() { HasText = "青木 陽向" })).ToContainTextAsync("主担当 みどり市 子ども家庭課・主たる援助機関 みどり市立南小学校");

        var filter = coordinator.GetByLabel("機関", new() { Exact = true });
        Assert.Equal("select", await filter.EvaluateAsync<string>("element => element.localName"));
        await filter.SelectOptionAsync(new SelectOptionValue { Label = LedgerAgencyName });
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "絞り込む" }).ClickAsync();

        // Only the case that agency takes part in (the request named it by id).
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        Assert.Equal(caseId, await rows.First.GetAttributeAsync("data-case-id"));
        await WebAppFlowTests.AssertNothingRanAsync(coordinator);
        await BrowserHost.ScreenshotAsync(coordinator, "71-ledger-agency-filter");
        await AccessibilityTests.CheckAsync(coordinator, "ledger filtered by agency name", found);
        Assert.Empty(found);
    }

    /// <summary>The agency (registered, or saved again) takes part in a new case whose key agency is the school, and the
    /// teacher has reported on it.</summary>
    private async Task<string> CaseWithAgencyAsync(string agencyId, string agencyName)
    {
        await host.Services.GetRequiredService<AgencyDirectory>().SaveAsync(
            new Agency(agencyId, agencyName, AgencyKind.Npo, IsCouncilMember: true, ConfidentialityAcknowledgedOn: new DateOnly(2024, 4, 1)), CancellationToken.None);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-1).ToString("yyyy-MM-dd");
        var unique = string.Concat(Guid.NewGuid().ToString("N")[..6].Select(c => (char)('ア' + (c % 20) * 2)));
        var record = new JsonObject
        {
            ["category"] = "requiring-support",
            ["child"] = new JsonObject
            {
                ["name"] = new JsonObject { ["family"] = "機関", ["given"] = "名前" + unique, ["familyKana"] = "キカン", ["givenKana"] = "ナマエ" + unique },
                ["birthDate"] = new DateOnly(2016, 1, 1).AddDays(Random.Shared.Next(1500)).ToString("yyyy-MM-dd"),
            },
            ["leadAgencyId"] = "midori-kodomo-ka",
            ["keyAgencyId"] = "minami-shogakko",
            ["participants"] = new JsonArray(
                new JsonObject { ["agencyId"] = "minami-shogakko", ["from"] = today },
                new JsonObject { ["agencyId"] = agencyId, ["from"] = today }),
            ["staff"] = new JsonArray(new JsonObject { ["personId"] = DemoPeople.PersonId("teacher-tanaka"), ["agencyId"] = "minami-shogakko" }),
            ["nextReviewDate"] = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2).ToString("yyyy-MM-dd"),
        };
        var created = await host.SendAsync("coordinator-sato", HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record, ["confirmedNotDuplicateOf"] = new JsonArray() });
        var caseId = created["caseId"]!.GetValue<string>();
        await host.SendAsync("teacher-tanaka", HttpMethod.Post, $"api/cases/{caseId}/reports", new JsonObject
        {
            ["kind"] = "attendance",
            ["urgency"] = "routine",
            ["observedAt"] = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("yyyy-MM-dd'T'HH:mm:ssK"),
            ["narrative"] = "今日も欠席でした。",
            ["scope"] = new JsonObject { ["audience"] = "all-participants" },
        });
        return caseId;
    }
}

using System.Text.Json.Nodes;
using Serverless.DevHost;

namespace Serverless.Browser;

/// <summary>A case whose child's name tries to break out of text and attributes; teacher-tanaka and nurse-suzuki are
/// named on it, teacher-kimura (same school) is not. Any script that ran would set <c>window.__pwned</c>.</summary>
internal static class HostileCase
{
    public const string Family = "<script>window.__pwned=1</script>";
    public const string Given = "\"><img src=x onerror=\"window.__pwned=2\">";
    public const string Narrative = "</p><script>window.__pwned=3</script><b onmouseover=\"window.__pwned=4\" title='x'>太郎</b>くんの腕にあざ & \"引用\"";

    /// <summary>Katakana unique per case, so the duplicate check does not meet another test's case.</summary>
    private static string Unique => string.Concat(Guid.NewGuid().ToString("N")[..6].Select(c => (char)('ア' + (c % 20) * 2)));

    public static async Task<string> CreateAsync(BrowserHost host)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-1).ToString("yyyy-MM-dd");
        var record = new JsonObject
        {
            ["category"] = "requiring-protection",
            ["child"] = new JsonObject
            {
                ["name"] = new JsonObject { ["family"] = Family, ["given"] = Given, ["familyKana"] = "アクイ", ["givenKana"] = "テスト" + Unique },
                ["birthDate"] = new DateOnly(2016, 1, 1).AddDays(Random.Shared.Next(1500)).ToString("yyyy-MM-dd"),
            },
            ["leadAgencyId"] = "midori-kodomo-ka",
            ["keyAgencyId"] = "minami-shogakko",
            ["participants"] = new JsonArray(
                new JsonObject { ["agencyId"] = "minami-shogakko", ["from"] = today },
                new JsonObject { ["agencyId"] = "midori-hoken-center", ["from"] = today }),
            ["staff"] = new JsonArray(
                new JsonObject { ["personId"] = DemoPeople.PersonId("teacher-tanaka"), ["agencyId"] = "minami-shogakko" },
                new JsonObject { ["personId"] = DemoPeople.PersonId("nurse-suzuki"), ["agencyId"] = "midori-hoken-center" }),
            ["nextReviewDate"] = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2).ToString("yyyy-MM-dd"),
        };
        var created = await host.SendAsync("coordinator-sato", HttpMethod.Post, "api/cases", new JsonObject { ["record"] = record, ["confirmedNotDuplicateOf"] = new JsonArray() });
        return created["caseId"]!.GetValue<string>();
    }
}

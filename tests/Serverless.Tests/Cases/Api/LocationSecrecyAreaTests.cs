using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Tests.Entries;

namespace Serverless.Tests.Cases.Api;

/// <summary>
/// Under location secrecy (所在秘匿) the agencies around the child tell where the child is: the nursery the child
/// attends since the move names the area. A member outside the lead agency sees, of the agencies on the case, only
/// the lead agency and their own: in the case, the lists, the history and the timeline's join and leave entries.
/// </summary>
public sealed class LocationSecrecyAreaTests
{
    private const string Lead = "chuo-jisou";
    private const string School = "minami-shogakko";
    private const string NewNursery = "hikari-hoikuen";
    private const string Teacher = "teacher-tanaka";
    private const string LeadCaseworker = "jisou-ito";

    [Fact]
    public async Task UnderSecrecyASchoolMemberDoesNotSeeTheNewNurseryAnywhere()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await MovedCaseAsync(api);

        var seen = new List<string>();
        foreach (var response in new[]
        {
            await api.GetAsync(caseId, Teacher),
            await api.ListAsync("?agency=" + School, Teacher),
            await api.HistoryAsync(caseId, person: Teacher),
        })
        {
            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                seen.Add(await response.Content.ReadAsStringAsync());
            }
        }

        seen.Add((await api.EntriesAsync(caseId, Teacher)).ToJsonString());

        Assert.All(seen, body => Assert.DoesNotContain(NewNursery, body, StringComparison.Ordinal));
        Assert.All(seen, body => Assert.DoesNotContain(DemoPeople.PersonId("nursery-yamada"), body, StringComparison.Ordinal));
        Assert.All(seen, body => Assert.DoesNotContain("ひかり保育園の近く", body, StringComparison.Ordinal));
        using var read = await api.GetAsync(caseId, Teacher);
        var record = (await CaseApi.BodyAsync(read))["record"]!;
        Assert.Equal([Lead, School], record["staff"]!.AsArray().Select(staff => (string)staff!["agencyId"]!).Distinct().Order(StringComparer.Ordinal));
        Assert.Null(record["location"]);
    }

    [Theory]
    [InlineData(CaseApi.Coordinator)]
    [InlineData(LeadCaseworker)]
    public async Task UnderSecrecyACoordinatorAndTheLeadAgencyStillSeeTheNewNursery(string person)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await MovedCaseAsync(api);

        using var read = await api.GetAsync(caseId, person);
        using var history = await api.HistoryAsync(caseId, person: person);
        var timeline = (await api.EntriesAsync(caseId, person)).ToJsonString();

        Assert.Equal(NewNursery, (string?)(await CaseApi.BodyAsync(read))["record"]!["keyAgencyId"]);
        Assert.Contains(NewNursery, await history.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(NewNursery, timeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocationNotesAreHiddenLikeTheAddress()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await MovedCaseAsync(api);

        using var byCoordinator = await api.GetAsync(caseId);

        Assert.Equal("ひかり保育園の近くのアパート", (string?)(await CaseApi.BodyAsync(byCoordinator))["record"]!["location"]!["notes"]);
    }

    /// <summary>A case under secrecy led by the child guidance centre with the school as key agency; the child then moves,
    /// the nursery near the new home becomes the key agency and the school stays on as a participant.</summary>
    private static async Task<string> MovedCaseAsync(CaseApi api)
    {
        var record = CaseApi.ValidRecord();
        record["leadAgencyId"] = Lead;
        record["keyAgencyId"] = School;
        record["locationSecrecy"] = true;
        record["location"] = new JsonObject { ["address"] = "みどり市南町1-1" };
        record["staff"] = new JsonArray(
            new JsonObject { ["personId"] = DemoPeople.PersonId(LeadCaseworker), ["agencyId"] = Lead },
            new JsonObject { ["personId"] = DemoPeople.PersonId(Teacher), ["agencyId"] = School });
        var caseId = await api.CreateIdAsync(record);
        using var moved = await api.PatchAsync(caseId, "\"v1\"", "転居に伴い主たる援助機関を変更", new JsonObject
        {
            ["keyAgencyId"] = NewNursery,
            ["participants"] = new JsonArray(new JsonObject { ["agencyId"] = School, ["from"] = "2025-04-01" }),
            ["staff"] = new JsonArray(
                new JsonObject { ["personId"] = DemoPeople.PersonId(LeadCaseworker), ["agencyId"] = Lead },
                new JsonObject { ["personId"] = DemoPeople.PersonId(Teacher), ["agencyId"] = School },
                new JsonObject { ["personId"] = DemoPeople.PersonId("nursery-yamada"), ["agencyId"] = NewNursery }),
            ["location"] = new JsonObject { ["address"] = "みどり市北町9-9", ["notes"] = "ひかり保育園の近くのアパート" },
        });
        Assert.True(moved.StatusCode == HttpStatusCode.OK, await moved.Content.ReadAsStringAsync());
        return caseId;
    }
}

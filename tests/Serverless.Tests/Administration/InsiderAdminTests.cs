using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Agencies;
using Serverless.Identity.People;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Administration;

/// <summary>
/// An admin acting alone, with as many accounts as the issuer will sign (the development issuer signs any subject),
/// never ends up reading a case: whatever agencies, people and memberships the admin API lets them make.
/// </summary>
public sealed class InsiderAdminTests
{
    private const string Admin = AdminApi.Admin;
    private const string Coordinator = AdminApi.Coordinator;
    private const string SecondAccount = "insider-second-account";

    [Fact]
    public async Task AnAdminWithASecondAccountOfEveryKindRoleAndFlagCannotReadAnyDemoCase()
    {
        await using var host = await TestHost.StartAsync(seedDemoData: true);
        var today = Serverless.Time.JapanTime.Today(TimeProvider.System);
        var caseIds = await DemoCaseIdsAsync(host);
        Assert.Equal(3, caseIds.Count);

        // Every kind of agency the admin may create (new ones) and every existing agency the admin may re-save.
        var agencyIds = new List<string>();
        foreach (var kind in Enum.GetValues<AgencyKind>())
        {
            var agencyId = "insider-" + JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString());
            var body = new JsonObject { ["name"] = "内部者 " + kind, ["kind"] = JsonNamingPolicy.KebabCaseLower.ConvertName(kind.ToString()), ["isCouncilMember"] = true };
            using var saved = await SendAsync(host, HttpMethod.Put, $"api/admin/agencies/{agencyId}", Admin, body);
            if (saved.IsSuccessStatusCode)
            {
                agencyIds.Add(agencyId);
            }
        }

        using var listed = await SendAsync(host, HttpMethod.Get, "api/admin/agencies", Admin);
        var existing = (await JsonNode.ParseAsync(await listed.Content.ReadAsStreamAsync()))!["agencies"]!.AsArray().Select(agency => (string)agency!["agencyId"]!);
        agencyIds.AddRange(existing.Except(agencyIds));

        using var registered = await SendAsync(host, HttpMethod.Post, "api/admin/people", Admin, new JsonObject { ["issuer"] = "development", ["subject"] = SecondAccount, ["displayName"] = "内部 二郎" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var personId = PersonIds.For("development", SecondAccount);

        var membershipIds = new List<string>();
        foreach (var agencyId in agencyIds)
        {
            foreach (var role in new[] { "coordinator", "member", "auditor", "admin" })
            {
                foreach (var mayBreakGlass in new[] { true, false })
                {
                    var grant = new JsonObject { ["agencyId"] = agencyId, ["role"] = role, ["validFrom"] = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ["mayBreakGlass"] = mayBreakGlass };
                    using var granted = await SendAsync(host, HttpMethod.Post, $"api/admin/people/{personId}/memberships", Admin, grant);
                    if (granted.IsSuccessStatusCode)
                    {
                        membershipIds.Add((string)(await JsonNode.ParseAsync(await granted.Content.ReadAsStreamAsync()))!["membershipId"]!);
                        break;
                    }
                }
            }
        }

        Assert.NotEmpty(membershipIds);
        var read = new List<string>();
        foreach (var membershipId in membershipIds)
        {
            foreach (var caseId in caseIds)
            {
                using var glass = await SendAsync(host, HttpMethod.Post, $"api/cases/{caseId}/break-glass", SecondAccount, new JsonObject { ["reason"] = "夜間の緊急対応" }, membershipId);
                foreach (var path in new[] { $"api/cases/{caseId}", $"api/cases/{caseId}/timeline" })
                {
                    using var response = await SendAsync(host, HttpMethod.Get, path, SecondAccount, membership: membershipId);
                    if (response.IsSuccessStatusCode || glass.IsSuccessStatusCode)
                    {
                        read.Add($"{membershipId} {path} {(int)response.StatusCode} break-glass {(int)glass.StatusCode}");
                    }
                }
            }
        }

        Assert.Empty(read);
    }

    private static async Task<List<string>> DemoCaseIdsAsync(TestHost host)
    {
        var ids = new List<string>();
        foreach (var status in new[] { "accepted", "registered" })
        {
            using var response = await SendAsync(host, HttpMethod.Get, $"api/cases?status={status}&pageSize=100", Coordinator);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync());
            ids.AddRange(page!["cases"]!.AsArray().Select(view => (string)view!["caseId"]!));
        }

        return ids;
    }

    private static async Task<HttpResponseMessage> SendAsync(TestHost host, HttpMethod method, string path, string person, JsonNode? body = null, string? membership = null)
    {
        using var request = new HttpRequestMessage(method, path);
        host.SignIn(request, person);
        if (membership is not null)
        {
            request.Headers.Add("X-Membership-Id", membership);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }

        return await host.Client.SendAsync(request);
    }
}

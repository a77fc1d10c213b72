using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Problems;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Administration;

/// <summary>Members, auditors and submission keys are refused (403) by every administration endpoint, before anything is read or changed.</summary>
public sealed class AdminAccessTests
{
    public static TheoryData<string, string> Endpoints()
    {
        var teacher = PersonId(Teacher);
        var membership = DemoPeople.Person(Teacher).Membership.MembershipId;
        var data = new TheoryData<string, string>();
        foreach (var subject in new[] { Teacher, Auditor, "jisou-ito" })
        {
            data.Add(subject, "PUT api/admin/agencies/kita-kodomo-npo");
            data.Add(subject, "GET api/admin/agencies");
            data.Add(subject, "POST api/admin/people");
            data.Add(subject, "GET api/admin/people");
            data.Add(subject, $"POST api/admin/people/{teacher}/memberships");
            data.Add(subject, $"POST api/admin/people/{teacher}/memberships/{membership}/end");
            data.Add(subject, "POST api/admin/agencies/minami-shogakko/submission-keys");
            data.Add(subject, "GET api/admin/agencies/minami-shogakko/submission-keys");
            data.Add(subject, "POST api/admin/agencies/minami-shogakko/submission-keys/{keyId}/revoke");
            data.Add(subject, "POST api/admin/agencies/minami-shogakko/submission-keys/{keyId}/rotate");
        }

        data.Add(Coordinator, "POST api/admin/people");
        data.Add(Coordinator, "POST api/admin/agencies/minami-shogakko/submission-keys");
        data.Add(Coordinator, "GET api/admin/agencies/minami-shogakko/submission-keys");
        data.Add(Coordinator, "POST api/admin/agencies/minami-shogakko/submission-keys/{keyId}/revoke");
        data.Add(Coordinator, "POST api/admin/agencies/minami-shogakko/submission-keys/{keyId}/rotate");
        data.Add("submission-key", "GET api/admin/agencies");
        data.Add("submission-key", "GET api/admin/people");
        data.Add("submission-key", "POST api/admin/agencies/minami-shogakko/submission-keys");
        data.Add("submission-key", "POST api/admin/agencies/minami-shogakko/submission-keys/{keyId}/revoke");
        return data;
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task EveryAdministrationEndpointRefusesCallersWhoAreNotAdmins(string caller, string endpoint)
    {
        await using var api = await AdminApi.StartAsync();
        var (key, keyId) = await api.IssueKeyAsync();
        var method = new HttpMethod(endpoint.Split(' ')[0]);
        var path = endpoint.Split(' ')[1].Replace("{keyId}", keyId, StringComparison.Ordinal);
        var body = method == HttpMethod.Get ? null : new JsonObject
        {
            ["name"] = "北こども支援NPO", ["kind"] = "npo", ["issuer"] = "development", ["subject"] = "newcomer-abe", ["displayName"] = "阿部 新",
        };

        using var response = caller == "submission-key"
            ? await SendWithKeyAsync(api, method, path, key, body)
            : await api.SendAsync(method, path, caller, body);

        await AssertProblemAsync(response, ProblemCatalogue.Forbidden, path);
        using var stillWorks = await api.WithKeyAsync(HttpMethod.Get, "api/cases?agency=" + School, key);
        Assert.Equal(HttpStatusCode.Forbidden, stillWorks.StatusCode); // a key is a caller still (not revoked or rotated): 403, not 401
        Assert.Null(await api.Host.Get<Serverless.Agencies.AgencyDirectory>().FindAsync("kita-kodomo-npo", CancellationToken.None));
    }

    private static async Task<HttpResponseMessage> SendWithKeyAsync(AdminApi api, HttpMethod method, string path, string key, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Serverless.Tests.Cases.Api.CaseApi.Json(body) };
        request.Headers.TryAddWithoutValidation("Authorization", "SubmissionKey " + key);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.10");
        return await api.RunAsync(request);
    }
}

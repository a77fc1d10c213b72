using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Agencies;
using Serverless.Identity.People;
using Serverless.Tests.Administration;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Privacy;

/// <summary>
/// A person's display name and an agency's name pass through every administration endpoint; they may be
/// stored only as the People profile row's <c>DisplayName</c> and the Agencies row's <c>Name</c>, and
/// reach no log line, key, queue message, blob or audit entry.
/// </summary>
[Collection(nameof(TelemetryCaptureCollection))]
public sealed class AdminCanaryTests
{
    private const string AgencyId = "kanaria-npo";
    private const string Subject = "canary-person";

    [Fact]
    public async Task NamesThroughEveryAdministrationEndpointReachNoLogKeyQueueBlobOrAuditEntry()
    {
        await using var api = await AdminApi.StartAsync(telemetry: true);
        var canary = new PersonalDataCanary();
        var displayName = canary.FamilyName + " " + canary.GivenName;
        var agencyName = canary.Address + " こども支援会";

        using var agency = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + AgencyId, Admin, new JsonObject { ["name"] = agencyName, ["kind"] = "npo", ["isCouncilMember"] = true });
        Assert.Equal(HttpStatusCode.Created, agency.StatusCode);
        using var refusedAgency = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + AgencyId, Coordinator, new JsonObject { ["name"] = agencyName, ["kind"] = "npo" });
        Assert.Equal(HttpStatusCode.Forbidden, refusedAgency.StatusCode);
        var personId = await api.RegisterAsync(Subject, displayName);
        await api.RegisterAsync(Subject, canary.KanaName);
        await api.RegisterAsync(Subject, displayName);

        // Bad input carrying the names is refused without echoing them anywhere.
        using var badSubject = await api.PostAsync("api/admin/people", Admin, new JsonObject { ["issuer"] = "development", ["subject"] = displayName, ["displayName"] = displayName });
        Assert.Equal(HttpStatusCode.BadRequest, badSubject.StatusCode);
        using var badIssuer = await api.PostAsync("api/admin/people", Admin, new JsonObject { ["issuer"] = canary.Marker, ["subject"] = Subject, ["displayName"] = canary.ReportText });
        Assert.Equal(HttpStatusCode.BadRequest, badIssuer.StatusCode);
        using var badAgency = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + AgencyId, Admin, new JsonObject { ["name"] = agencyName, ["kind"] = canary.Marker });
        Assert.Equal(HttpStatusCode.BadRequest, badAgency.StatusCode);

        var membershipId = await api.GrantAsync(personId, Grant(AgencyId, "member", api.Today));
        using var people = await api.GetAsync("api/admin/people?agency=" + AgencyId, Coordinator);
        Assert.Contains(displayName, await people.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var agencies = await api.GetAsync("api/admin/agencies", Admin);
        Assert.Contains(agencyName, await agencies.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var signedIn = await api.GetAsync("api/cases?agency=" + AgencyId, Subject);
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        var (key, keyId) = await api.IssueKeyAsync(AgencyId);
        using var keys = await api.GetAsync($"api/admin/agencies/{AgencyId}/submission-keys", Admin);
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        using var withKey = await api.WithKeyAsync(HttpMethod.Get, "api/cases?agency=" + AgencyId, key);
        Assert.Equal(HttpStatusCode.Forbidden, withKey.StatusCode);
        using var rotated = await api.PostAsync($"api/admin/agencies/{AgencyId}/submission-keys/{keyId}/rotate", Admin, new JsonObject { ["overlapSeconds"] = 0 });
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        using var revoked = await api.PostAsync($"api/admin/agencies/{AgencyId}/submission-keys/{keyId}/revoke", Admin, new JsonObject());
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        using var ended = await api.PostAsync($"api/admin/people/{personId}/memberships/{membershipId}/end", Admin, new JsonObject { ["lastDay"] = Day(api.Today.AddDays(-1)) });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        using var refused = await api.GetAsync("api/cases?agency=" + AgencyId, Subject);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);

        // The canary looks at logs, table keys, queues and blobs; it does not read table properties, so the
        // properties of every row (the audit log's included) are read here, and the two places the names
        // belong are the only ones allowed to hold them.
        Assert.Empty(await canary.FindLeaksAsync(api.Host));
        Assert.NotEmpty(api.Host.Telemetry!.Items);
        Assert.Equal(
            new[] { $"{PeopleDirectory.TableName} {personId}/profile DisplayName", $"{AgencyDirectory.TableName} {AgencyId} Name" }.Order(StringComparer.Ordinal),
            (await PropertiesHoldingAsync(api, [displayName, agencyName, canary.KanaName, canary.Marker])).Order(StringComparer.Ordinal));
        Assert.NotEmpty(await api.AuditOutcomesAsync(PersonId(Admin)));
    }

    private static async Task<List<string>> PropertiesHoldingAsync(AdminApi api, IReadOnlyList<string> values)
    {
        var found = new List<string>();
        await foreach (var table in api.Host.Storage.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(api.Host.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = table.Name[api.Host.Prefix.Length..];
            await foreach (var entity in api.Host.Storage.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var property in entity.Where(pair => pair.Key is not ("PartitionKey" or "RowKey")))
                {
                    if (property.Value?.ToString() is { } text && values.Any(value => text.Contains(value, StringComparison.Ordinal)))
                    {
                        found.Add(name == AgencyDirectory.TableName ? $"{name} {entity.RowKey} {property.Key}" : $"{name} {entity.PartitionKey}/{entity.RowKey} {property.Key}");
                    }
                }
            }
        }

        return found;
    }
}

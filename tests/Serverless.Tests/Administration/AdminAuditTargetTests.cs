using System.Net;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Administration;

/// <summary>
/// Every administration act says in its sealed audit entry what it did to whom: the person, membership, role,
/// agency and key ids it acted on (ids and role names only, never a name), so a chain of acts (an admin makes an
/// agency, registers a second account, grants it a role) can be read from the trail itself.
/// </summary>
public sealed class AdminAuditTargetTests
{
    private const string NewAgency = "kita-kodomo-npo";

    /// <summary>What the outcome entries of <paramref name="action"/> name as their target, oldest first, read from the stored rows.</summary>
    private static async Task<List<Target>> TargetsAsync(AdminApi api, string action)
        => await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(AuditTables.LogTable))
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Action eq {action} and Kind eq {AuditEntryKinds.Outcome}"))
            .Select(Target.Of)
            .ToListAsync();

    private static async Task<Target> OnlyTargetAsync(AdminApi api, string action) => Assert.Single(await TargetsAsync(api, action));

    [Fact]
    public async Task EveryAdministrationActRecordsTheIdsItActedOn()
    {
        await using var api = await AdminApi.StartAsync();

        using var agency = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + NewAgency, Admin, new JsonObject { ["name"] = "北こども支援NPO", ["kind"] = "npo", ["isCouncilMember"] = true });
        Assert.Equal(HttpStatusCode.Created, agency.StatusCode);
        var personId = await api.RegisterAsync("newcomer-abe");
        var membershipId = await api.GrantAsync(personId, Grant(NewAgency, "member", api.Today));
        var coordinatorMembership = await api.GrantAsync(personId, Grant("midori-kodomo-ka", "coordinator", api.Today), grantor: Coordinator);
        using var people = await api.GetAsync("api/admin/people?agency=" + NewAgency, Admin);
        Assert.Equal(HttpStatusCode.OK, people.StatusCode);
        using var ended = await api.PostAsync($"api/admin/people/{personId}/memberships/{membershipId}/end", Admin, new JsonObject { ["lastDay"] = Day(api.Today) });
        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        var (_, keyId) = await api.IssueKeyAsync(NewAgency);
        using var keys = await api.GetAsync($"api/admin/agencies/{NewAgency}/submission-keys", Admin);
        Assert.Equal(HttpStatusCode.OK, keys.StatusCode);
        using var rotated = await api.PostAsync($"api/admin/agencies/{NewAgency}/submission-keys/{keyId}/rotate", Admin, new JsonObject { ["overlapSeconds"] = 0 });
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var newKeyId = (string)(await CaseApi.BodyAsync(rotated))["info"]!["keyId"]!;
        using var revoked = await api.PostAsync($"api/admin/agencies/{NewAgency}/submission-keys/{newKeyId}/revoke", Admin, new JsonObject());
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);

        Assert.Equal(new Target(AgencyId: NewAgency), await OnlyTargetAsync(api, AuditActions.AdminAgencySave));
        Assert.Equal(new Target(PersonId: personId), await OnlyTargetAsync(api, AuditActions.AdminPersonSave));
        Assert.Equal(
            [new Target(personId, membershipId, "Member", NewAgency), new Target(personId, coordinatorMembership, "Coordinator", "midori-kodomo-ka")],
            await TargetsAsync(api, AuditActions.AdminMembershipGrant));
        Assert.Equal(new Target(AgencyId: NewAgency), await OnlyTargetAsync(api, AuditActions.AdminPersonRead));
        Assert.Equal(new Target(personId, membershipId, "Member", NewAgency), await OnlyTargetAsync(api, AuditActions.AdminMembershipEnd));
        Assert.Equal(new Target(AgencyId: NewAgency, KeyId: keyId), await OnlyTargetAsync(api, AuditActions.AdminKeyIssue));
        Assert.Equal(new Target(AgencyId: NewAgency), await OnlyTargetAsync(api, AuditActions.AdminKeyRead));
        Assert.Equal(new Target(AgencyId: NewAgency, KeyId: keyId), await OnlyTargetAsync(api, AuditActions.AdminKeyRotate));
        Assert.Equal(new Target(AgencyId: NewAgency, KeyId: newKeyId), await OnlyTargetAsync(api, AuditActions.AdminKeyRevoke));
    }

    [Fact]
    public async Task ARefusedActStillNamesWhatItTriedToActOn()
    {
        await using var api = await AdminApi.StartAsync();
        var personId = await api.RegisterAsync("newcomer-abe");

        // An admin may not designate break-glass, nor grant the coordinator role: the attempt is in the trail with its target.
        var designation = Grant("chuo-jisou", "member", api.Today);
        designation["mayBreakGlass"] = true;
        using var refused = await api.PostAsync($"api/admin/people/{personId}/memberships", Admin, designation);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var coordinator = await api.PostAsync($"api/admin/people/{personId}/memberships", Admin, Grant("midori-kodomo-ka", "coordinator", api.Today));
        Assert.Equal(HttpStatusCode.Forbidden, coordinator.StatusCode);

        Assert.Equal(
            [new Target(personId, null, "Member", "chuo-jisou"), new Target(personId, null, "Coordinator", "midori-kodomo-ka")],
            await TargetsAsync(api, AuditActions.AdminMembershipGrant));
        Assert.Equal(
            [nameof(AuditOutcome.Refused), nameof(AuditOutcome.Refused)],
            (await api.AuditOutcomesAsync(PersonId(Admin))).Where(entry => entry.Action == AuditActions.AdminMembershipGrant).Select(entry => entry.Outcome));
    }

    /// <summary>Issue #14's chain: an admin makes an agency, registers a second account and grants it a role there.
    /// An auditor reading the admin's acts sees each step and how they connect, with ids only.</summary>
    [Fact]
    public async Task TheChainOfAnAdminsActsCanBeReadFromTheTrail()
    {
        await using var api = await AdminApi.StartAsync();
        using var agency = await api.SendAsync(HttpMethod.Put, "api/admin/agencies/" + NewAgency, Admin, new JsonObject { ["name"] = "北こども支援NPO", ["kind"] = "npo", ["isCouncilMember"] = true });
        Assert.Equal(HttpStatusCode.Created, agency.StatusCode);
        var secondAccount = await api.RegisterAsync("kobayashi-second", "小林 二号");
        var membershipId = await api.GrantAsync(secondAccount, Grant(NewAgency, "admin", api.Today));

        using var trail = await api.GetAsync($"api/audit?actor={PersonId(Admin)}&from={Day(api.Today.AddDays(-1))}&to={Day(api.Today.AddDays(1))}", Auditor);

        var body = await CaseApi.BodyAsync(trail);
        Assert.Equal(HttpStatusCode.OK, trail.StatusCode);
        var outcomes = body["entries"]!.AsArray().Where(entry => (string)entry!["kind"]! == AuditEntryKinds.Outcome).ToList();
        Assert.Equal(
            [
                (AuditActions.AdminAgencySave, """{"agencyId":"kita-kodomo-npo"}"""),
                (AuditActions.AdminPersonSave, $$"""{"personId":"{{secondAccount}}"}"""),
                (AuditActions.AdminMembershipGrant, $$"""{"personId":"{{secondAccount}}","membershipId":"{{membershipId}}","role":"Admin","agencyId":"kita-kodomo-npo"}"""),
            ],
            outcomes.Select(entry => ((string)entry!["action"]!, entry["target"]?.ToJsonString())));
    }

    [Fact]
    public async Task NoNameReachesTheTargetOfAnAuditEntry()
    {
        await using var api = await AdminApi.StartAsync();
        var canary = new PersonalDataCanary();
        var personId = await api.RegisterAsync("canary-person", canary.FamilyName + " " + canary.GivenName);

        // A name where an id belongs, in the URL and in the body, is refused or not found; the entry names the field, not the value.
        using var byName = await api.PostAsync($"api/admin/people/{Uri.EscapeDataString(canary.KanaName)}/memberships", Admin, Grant(canary.Marker + "-ka", "member", api.Today));
        Assert.Equal(HttpStatusCode.NotFound, byName.StatusCode);
        using var agencyByName = await api.PostAsync($"api/admin/people/{personId}/memberships", Admin, Grant(canary.FamilyName, "member", api.Today));
        Assert.Equal(HttpStatusCode.BadRequest, agencyByName.StatusCode);
        using var keyByName = await api.PostAsync($"api/admin/agencies/{School}/submission-keys/{Uri.EscapeDataString(canary.GivenName)}/revoke", Admin, new JsonObject());
        Assert.Equal(HttpStatusCode.NotFound, keyByName.StatusCode);

        var rows = await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(AuditTables.LogTable)).QueryAsync<TableEntity>().ToListAsync();
        Assert.DoesNotContain(rows.SelectMany(row => row.Select(pair => pair.Value)), value => value?.ToString() is { } text && canary.Values.Any(text.Contains));
        Assert.Contains(rows, row => row.GetString("RejectedFields")?.Contains("TargetPersonId", StringComparison.Ordinal) == true);
        Assert.Contains(rows, row => row.GetString("RejectedFields")?.Contains("TargetAgencyId", StringComparison.Ordinal) == true);
        Assert.Contains(rows, row => row.GetString("RejectedFields")?.Contains("TargetKeyId", StringComparison.Ordinal) == true);
        Assert.Empty(await canary.FindLeaksAsync(api.Host));
    }

    private sealed record Target(string? PersonId = null, string? MembershipId = null, string? Role = null, string? AgencyId = null, string? KeyId = null)
    {
        public static Target Of(TableEntity row)
            => new(row.GetString("TargetPersonId"), row.GetString("TargetMembershipId"), row.GetString("TargetRole"), row.GetString("TargetAgencyId"), row.GetString("TargetKeyId"));
    }
}

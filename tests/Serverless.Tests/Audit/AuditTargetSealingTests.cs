using Azure;
using Azure.Data.Tables;
using Serverless.Audit;
using static Serverless.Tests.Audit.AuditTestHost;

namespace Serverless.Tests.Audit;

/// <summary>
/// Target fields (<see cref="AuditTarget"/>) are sealed like every other stored property, and only stored when an entry
/// has them: an entry without a target stores exactly the properties entries had before target fields existed, so
/// the trail sealed before them still verifies, and a target edited after sealing shows.
/// </summary>
public sealed class AuditTargetSealingTests
{
    private static readonly AuditActor Admin = new(AuditActorKind.Person, "p-kobayashi", "midori-kodomo-ka", "Admin");

    private static readonly AuditTarget Grant = new("p-0123456789abcdef01234567", "0123456789abcdef", "Member", "kita-kodomo-npo");

    [Fact]
    public async Task EntriesWithoutATargetStoreNoTargetFieldsAndVerifyBesideEntriesWithOne()
    {
        await using var host = await StartAsync(entriesPerSeal: 4);
        await host.WriteScenarioAsync();
        await host.SealAllAsync();
        var intent = await host.Trail().BeginAsync(Admin, Request("req-grant"), AuditActions.AdminMembershipGrant, null, null, false, CancellationToken.None, new AuditTarget(PersonId: Grant.PersonId));
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        await host.Trail().CompleteAsync(intent, Admin, AuditOutcome.Succeeded, [], false, CancellationToken.None, target: Grant);
        await host.SealAllAsync();

        var rows = await host.RawEntriesAsync();
        Assert.All(rows.Take(6), row => Assert.DoesNotContain(row.Keys, name => name.StartsWith("Target", StringComparison.Ordinal)));
        var outcome = rows.Last();
        Assert.Equal(
            (Grant.PersonId, Grant.MembershipId, Grant.Role, Grant.AgencyId),
            (outcome.GetString("TargetPersonId"), outcome.GetString("TargetMembershipId"), outcome.GetString("TargetRole"), outcome.GetString("TargetAgencyId")));
        Assert.False(outcome.ContainsKey("TargetKeyId"));
        var report = await host.VerifyAsync();
        Assert.Empty(report.Findings);
        Assert.Equal(8, report.SealedEntries);
    }

    [Fact]
    public async Task ATargetEditedAfterSealingIsReportedAsEdited()
    {
        await using var host = await StartAsync();
        await host.Trail().RecordAsync(Admin, Request("req-grant"), AuditActions.AdminMembershipGrant, null, AuditOutcome.Succeeded, CancellationToken.None, Grant);
        await host.SealAllAsync();
        var entry = Assert.Single(await host.RawEntriesAsync());
        entry["TargetRole"] = "Coordinator";
        await host.LogTable().UpdateEntityAsync(entry, ETag.All, TableUpdateMode.Replace);

        var report = await host.VerifyAsync();

        Assert.Equal([new AuditFinding(AuditFindingKinds.Edited, 1, entry.RowKey, "the stored entry no longer gives its sealed hash")], report.Findings);
    }
}

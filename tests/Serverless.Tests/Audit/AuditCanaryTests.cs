using Azure.Data.Tables;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Audit.AuditTestHost;

namespace Serverless.Tests.Audit;

/// <summary>
/// Personal data handed to the audit trail where ids belong (a name as a case id, an address as the client
/// address) is never stored: not in keys, not in property values, not in the seal blobs, not in logs.
/// </summary>
public sealed class AuditCanaryTests
{
    [Fact]
    public async Task PersonalDataPassedAsIdsReachesNoAuditRowSealOrLog()
    {
        await using var host = await StartAsync();
        var canary = new PersonalDataCanary();
        var trail = host.Trail();
        var caseId = CaseIds.New();

        var read = await trail.BeginAsync(Coordinator, Request("req-1"), AuditActions.CaseRead, caseId, null, false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        await trail.CompleteAsync(read, Coordinator, AuditOutcome.Succeeded, [], false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        var typed = await trail.BeginAsync(
            new AuditActor(AuditActorKind.Person, canary.FamilyName, "a-midori-kodomo", "coordinator"),
            new AuditRequest("req-2", canary.Address),
            AuditActions.CaseRead,
            canary.KanaName,
            canary.GivenName,
            false,
            CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        await trail.CompleteAsync(typed, Coordinator, AuditOutcome.Missing, [canary.Marker, caseId], false, CancellationToken.None);
        host.Clock().Advance(TimeSpan.FromSeconds(1));
        await trail.RecordAsync(AuditActor.Anonymous, new AuditRequest("req-3", canary.ReportText), AuditActions.CaseRead, canary.Marker, AuditOutcome.Unauthenticated, CancellationToken.None);
        await host.SealAllAsync();

        Assert.Empty(await canary.FindLeaksAsync(host));
        Assert.Empty(await ValueLeaksAsync(host, canary));
        Assert.Equal(
            [null, null, "CaseId,EntryId,ActorId,ClientAddress", "CasesTouched,ClientAddress", "CaseId,ClientAddress"],
            (await host.EntriesAsync()).Select(entry => entry.RejectedFields));
        Assert.True((await host.VerifyAsync()).Clean);
    }

    /// <summary>Every property value of every audit row, and the whole text of every seal blob.</summary>
    private static async Task<List<string>> ValueLeaksAsync(TestHost host, PersonalDataCanary canary)
    {
        bool Leaks(string? text) => text is not null && canary.Values.Any(value => text.Contains(value, StringComparison.Ordinal));

        var leaks = new List<string>();
        foreach (var table in new[] { host.LogTable(), host.ByCaseTable(), host.SealTable() })
        {
            await foreach (var entity in table.QueryAsync<TableEntity>())
            {
                leaks.AddRange(entity.Where(pair => Leaks(Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture)))
                    .Select(pair => $"{table.Name} {entity.RowKey}.{pair.Key}"));
            }
        }

        foreach (var name in await host.SealBlobNamesAsync())
        {
            // The marker is ASCII, so it would appear as is even where JSON escapes the Japanese around it.
            var text = (await host.SealContainer().GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString();
            if (Leaks(text))
            {
                leaks.Add($"blob {name}");
            }
        }

        return leaks;
    }
}

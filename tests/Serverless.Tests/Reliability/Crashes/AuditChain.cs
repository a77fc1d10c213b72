using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Reliability.Crashes;

/// <summary>The audit chain as the ops tool verifies it, read from Azurite directly, every entry counted (no settle delay).</summary>
internal static class AuditChain
{
    /// <summary>Fails on any finding, except an open intent <paramref name="crashed"/> accepts: by design (docs/audit.md,
    /// <see cref="AuditRestoreCompletion"/>) the intent of work whose process died before its outcome stays open and the
    /// verifier reports it; the retry writes an intent and an outcome of its own. Returns how many were accepted.</summary>
    public static async Task<int> AssertVerifiesAsync(TestHost host, Func<AuditEntryEntity, bool>? crashed = null)
    {
        var tables = host.Get<AuditTables>();
        var verifier = new AuditVerifier(tables, Options.Create(new AuditOptions { SettleDelay = TimeSpan.Zero }), TimeProvider.System);
        var report = await verifier.VerifyAsync(CancellationToken.None);
        var accepted = 0;
        var findings = new List<AuditFinding>();
        foreach (var finding in report.Findings)
        {
            if (crashed is not null && finding.Kind == AuditFindingKinds.IntentWithoutOutcome && finding.EntryId is { } intentId
                && (await tables.Log.GetEntityIfExistsAsync<AuditEntryEntity>(AuditEntryIds.DayOf(intentId)!, intentId)) is { HasValue: true } intent
                && crashed(intent.Value!))
            {
                accepted++;
                continue;
            }

            findings.Add(finding);
        }

        Assert.True(findings.Count == 0, "the audit chain does not verify: " + string.Join("; ", findings.Take(10)));
        return accepted;
    }
}

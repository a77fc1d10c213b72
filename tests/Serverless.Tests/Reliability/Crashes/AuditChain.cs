using Microsoft.Extensions.Options;
using Serverless.Audit;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Reliability.Crashes;

/// <summary>The audit chain as the ops tool verifies it, read from Azurite directly, every entry counted (no settle delay).</summary>
internal static class AuditChain
{
    public static async Task AssertVerifiesAsync(TestHost host)
    {
        var verifier = new AuditVerifier(host.Get<AuditTables>(), Options.Create(new AuditOptions { SettleDelay = TimeSpan.Zero }), TimeProvider.System);
        var report = await verifier.VerifyAsync(CancellationToken.None);
        Assert.True(report.Clean, "the audit chain does not verify: " + string.Join("; ", report.Findings.Take(10)));
    }
}

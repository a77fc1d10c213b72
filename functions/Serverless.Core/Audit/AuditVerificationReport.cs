namespace Serverless.Audit;

/// <summary>One thing the verifier found: ids and seal numbers only, never personal data.</summary>
/// <param name="Kind"><see cref="AuditFindingKinds"/>.</param>
/// <param name="SealNumber">The seal concerned, when one is.</param>
/// <param name="EntryId">The audit entry concerned, when one is.</param>
/// <param name="Detail">A short English explanation with ids only.</param>
public sealed record AuditFinding(string Kind, long? SealNumber, string? EntryId, string Detail);

/// <summary>What a verification covered and found.</summary>
/// <param name="Seals">Seal rows checked.</param>
/// <param name="SealedEntries">Entries the seals list.</param>
/// <param name="UnsealedEntries">Entries after the last seal and older than the settle delay (checked for outcomes and index rows only).</param>
public sealed record AuditVerificationReport(long Seals, long SealedEntries, long UnsealedEntries, IReadOnlyList<AuditFinding> Findings)
{
    public bool Clean => Findings.Count == 0;

    public IReadOnlyDictionary<string, int> CountsByKind
        => Findings.GroupBy(finding => finding.Kind, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
}

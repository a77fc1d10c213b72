namespace Serverless.Benchmarks;

/// <summary>One 201 the load run was given: the case, the Idempotency-Key it sent and the entry id of the receipt.</summary>
public sealed record AcceptedReport(string CaseId, string Key, string EntryId);

/// <summary>A stored row naming an entry: a timeline head of a report, or an idempotency completion (by its receipt).</summary>
public sealed record StoredReport(string CaseId, string EntryId);

/// <summary>What the store holds against what the load run was told.</summary>
/// <param name="Keys">Distinct idempotency keys that were accepted.</param>
/// <param name="Missing">Accepted entries with no report head.</param>
/// <param name="Doubled">Accepted entries with more than one head (each extra head counts once).</param>
/// <param name="Unexpected">Report heads no receipt named.</param>
/// <param name="ReplayMismatches">Keys whose answers named more than one entry (a retry must get the first answer).</param>
/// <param name="CompletionMismatches">Accepted entries without exactly one completion row naming them, plus completion rows naming no accepted entry.</param>
public sealed record LoadCheck(int Keys, int Heads, int Completions, int Missing, int Doubled, int Unexpected, int ReplayMismatches, int CompletionMismatches)
{
    public bool ExactlyOnce => Missing == 0 && Doubled == 0 && Unexpected == 0 && ReplayMismatches == 0 && CompletionMismatches == 0;
}

/// <summary>
/// The load run's count of what was stored: every accepted report (by its key and receipt) is in its case's timeline
/// exactly once, with exactly one idempotency completion, and nothing else was stored.
/// </summary>
public static class LoadLedger
{
    public static LoadCheck Check(IEnumerable<AcceptedReport> accepted, IEnumerable<StoredReport> heads, IEnumerable<StoredReport> completions)
    {
        var byKey = accepted.GroupBy(report => (report.CaseId, report.Key)).ToList();
        var replayMismatches = byKey.Count(group => group.Select(report => report.EntryId).Distinct(StringComparer.Ordinal).Count() > 1);
        var expected = byKey.SelectMany(group => group.Select(report => (report.CaseId, report.EntryId)).Distinct()).ToHashSet();
        var headCounts = Counts(heads);
        var completionCounts = Counts(completions);

        var missing = expected.Count(entry => !headCounts.ContainsKey(entry));
        var doubled = expected.Sum(entry => Math.Max(0, headCounts.GetValueOrDefault(entry) - 1));
        var unexpected = headCounts.Where(pair => !expected.Contains(pair.Key)).Sum(pair => pair.Value);
        var completionMismatches = expected.Count(entry => completionCounts.GetValueOrDefault(entry) != 1)
            + completionCounts.Where(pair => !expected.Contains(pair.Key)).Sum(pair => pair.Value);
        return new LoadCheck(byKey.Count, headCounts.Values.Sum(), completionCounts.Values.Sum(), missing, doubled, unexpected, replayMismatches, completionMismatches);
    }

    private static Dictionary<(string CaseId, string EntryId), int> Counts(IEnumerable<StoredReport> rows)
        => rows.GroupBy(row => (row.CaseId, row.EntryId)).ToDictionary(group => group.Key, group => group.Count());
}

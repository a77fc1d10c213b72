using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Cases.Storage;
using Serverless.Entries;
using Serverless.Time;

namespace Serverless.Stats;

/// <summary>
/// Counts the cases as they stand: the case list's status partitions give every case id (a page of up to
/// <see cref="PageSize"/> pointers per query), then each case is read once (at most <see cref="ParallelReads"/> at a
/// time) and counted from its record, never from a pointer that may be stale. The cost grows with the number of cases,
/// never with the number of reports.
/// </summary>
public sealed class CaseSnapshots(CaseIndex index, CaseStore cases, TimeProvider clock)
{
    public const int PageSize = 1000;

    public const int ParallelReads = 8;

    public async Task<CaseSnapshot> TakeAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            string? token = null;
            do
            {
                var (rows, next) = await index.PageAsync(CaseIndexEntity.StatusPartition(status), null, null, null, null, PageSize, token, cancellationToken);
                ids.UnionWith(rows.Select(row => row.CaseId));
                token = next;
            }
            while (token is not null);
        }

        var records = new System.Collections.Concurrent.ConcurrentBag<CaseRecord>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken }, async (caseId, token) =>
        {
            if (await cases.GetAsync(caseId, token) is { } found)
            {
                records.Add(found.Record);
            }
        });

        return Count([.. records], JapanTime.Today(clock));
    }

    /// <summary>The snapshot of <paramref name="records"/> with age bands on <paramref name="today"/>.</summary>
    public static CaseSnapshot Count(IReadOnlyList<CaseRecord> records, DateOnly today)
    {
        var open = records.Where(record => record.Status != CaseStatus.Closed).ToList();
        return new CaseSnapshot(
            open.Count,
            By(records, record => (CaseStatus?)record.Status),
            By(open, record => (CaseCategory?)record.Category),
            WithUnknown(By(open, record => record.RiskLevel), open.Count(record => record.RiskLevel is null)),
            WithUnknown(By(open, record => record.PrimaryAbuseType), open.Count(record => record.PrimaryAbuseType is null)),
            open.GroupBy(record => record.LeadAgencyId, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal).ToDictionary(group => group.Key, group => (long)group.Count(), StringComparer.Ordinal),
            Enum.GetValues<AgeBand>().Where(band => band != AgeBand.Unknown).Append(AgeBand.Unknown)
                .ToDictionary(band => EntryRows.Name(band), band => (long)open.Count(record => AgeBands.On(record.Child?.BirthDate, today) == band), StringComparer.Ordinal));
    }

    private static Dictionary<string, long> By<TEnum>(IReadOnlyList<CaseRecord> records, Func<CaseRecord, TEnum?> of)
        where TEnum : struct, Enum
        => Enum.GetValues<TEnum>().ToDictionary(value => EntryRows.Name(value), value => (long)records.Count(record => EqualityComparer<TEnum?>.Default.Equals(of(record), value)), StringComparer.Ordinal);

    private static Dictionary<string, long> WithUnknown(Dictionary<string, long> counts, long unknown)
    {
        counts[StatsMeasures.Unknown] = unknown;
        return counts;
    }
}

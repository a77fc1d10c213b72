using System.Globalization;
using Azure.Data.Tables;
using Serverless.Audit;

namespace Serverless.Backup;

/// <summary>
/// The audit log is partitioned by UTC day and only ever inserted into, so a day that ended a day before a backup
/// started never changes again. A backup copies the days that are not settled, or whose copy is missing or too old,
/// and points at the earlier copies of the rest: the daily backup copies about two days of audit instead of the whole
/// history. A copy is reused only if its day was already settled when it was made, and while it is younger than half
/// the retention (<see cref="BackupOptions.RetentionDays"/>), so the destination never deletes a file a recent backup needs.
/// </summary>
/// <remarks>
/// The days reused are left out of the backup's table query by key ranges. A row whose partition key is not a day but
/// sorts inside such a range (written by hand, not by the app; <c>audit verify</c> reports it as inserted) is then not
/// copied: the source keeps it, and the earlier copies keep the days as they were.
/// </remarks>
internal static class SettledDays
{
    /// <summary>Azure Table queries take at most 15 comparisons; each run of reused days costs two.</summary>
    private const int MaxRuns = 7;

    /// <summary>Tables whose partitions are UTC days and are never written once their day has passed.</summary>
    public static bool AppliesTo(string table) => table == AuditTables.LogTable;

    /// <summary>Day partitions before this one (<c>yyyyMMdd</c>) are settled at <paramref name="at"/>.</summary>
    public static string Cutoff(DateTimeOffset at) => AuditEntryIds.Day(at - TimeSpan.FromDays(1));

    public static bool IsDay(string partitionKey)
        => DateOnly.TryParseExact(partitionKey, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>The previous backup's files of <paramref name="table"/> that this backup may point at, by day; each with the
    /// backup whose folder holds it.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<TableFile>> Reusable(BackupManifest previous, string table, DateTimeOffset startedAt, DateTimeOffset reuseSince)
    {
        var cutoff = Cutoff(startedAt);
        return previous.Tables
            .Where(file => file.Table == table && file.Partition is not null)
            .Select(file => file with { BackupId = file.BackupId ?? previous.BackupId })
            .GroupBy(file => file.Partition!, StringComparer.Ordinal)
            .Where(day => IsDay(day.Key) && string.CompareOrdinal(day.Key, cutoff) < 0 && day.All(file => CopiedSettled(file, reuseSince)))
            .ToDictionary(day => day.Key, day => (IReadOnlyList<TableFile>)[.. day], StringComparer.Ordinal);
    }

    /// <summary>
    /// Of <paramref name="reusable"/>, the days this backup reuses (the newest runs of consecutive days, at most
    /// <see cref="MaxRuns"/>), and the query filter for every other row of the table (null: read it all).
    /// </summary>
    public static (IReadOnlyList<string> Reused, string? Filter) Remainder(IEnumerable<string> reusable)
    {
        var runs = new List<(DateOnly From, DateOnly To)>();
        foreach (var day in reusable.Select(Parse).Order())
        {
            if (runs.Count > 0 && runs[^1].To.AddDays(1) == day)
            {
                runs[^1] = (runs[^1].From, day);
            }
            else
            {
                runs.Add((day, day));
            }
        }

        if (runs.Count == 0)
        {
            return ([], null);
        }

        var kept = runs.TakeLast(MaxRuns).ToList();
        var clauses = new List<string>();
        string? previousEnd = null;
        foreach (var (from, to) in kept)
        {
            clauses.Add(previousEnd is null
                ? TableClient.CreateQueryFilter($"PartitionKey lt {Key(from)}")
                : TableClient.CreateQueryFilter($"PartitionKey gt {previousEnd} and PartitionKey lt {Key(from)}"));
            previousEnd = Key(to);
        }

        clauses.Add(TableClient.CreateQueryFilter($"PartitionKey gt {previousEnd}"));
        var reused = kept.SelectMany(run => Enumerable.Range(0, run.To.DayNumber - run.From.DayNumber + 1).Select(offset => Key(run.From.AddDays(offset)))).ToList();
        return (reused, string.Join(" or ", clauses.Select(clause => $"({clause})")));
    }

    private static bool CopiedSettled(TableFile file, DateTimeOffset reuseSince)
        => BackupManifest.StartedAt(file.BackupId!) is { } copiedAt
            && copiedAt >= reuseSince
            && string.CompareOrdinal(file.Partition, Cutoff(copiedAt)) < 0;

    private static DateOnly Parse(string day) => DateOnly.ParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Key(DateOnly day) => day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}

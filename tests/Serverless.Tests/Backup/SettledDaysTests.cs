using Serverless.Audit;
using Serverless.Backup;

namespace Serverless.Tests.Backup;

/// <summary>Which copies of the audit log's days a backup may point at instead of copying again, and the query for the rest.</summary>
public sealed class SettledDaysTests
{
    private const string Earlier = "20261120T180000000Z";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ADayIsSettledOnceADayHasPassedSinceItEnded()
    {
        Assert.Equal("20261124", SettledDays.Cutoff(Now));
        Assert.True(SettledDays.IsDay("20261124"));
        Assert.False(SettledDays.IsDay("2026112x"));
        Assert.False(SettledDays.IsDay("20261131"));
    }

    [Fact]
    public void OnlyDaysThatWereSettledWhenCopiedAndAreSettledNowAreReused()
    {
        var previous = Manifest(
            File("20261118", backupId: null),          // copied by the earlier backup on the 20th: settled then (cutoff 19th)
            File("20261119", backupId: null),          // the 19th was not settled on the 20th: copied while still being written
            File("20261110", backupId: "20261112T180000000Z"), // a copy held by an older backup, settled when made
            File("20261124", backupId: "20261126T000000000Z"), // settled when copied, but not settled now (and a future id)
            new TableFile("Cases", 1, "tables/Cases.00000.enc", "x")); // other tables are never reused

        var reusable = SettledDays.Reusable(previous, AuditTables.LogTable, Now, DateTimeOffset.MinValue);

        Assert.Equal(["20261110", "20261118"], reusable.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Earlier, Assert.Single(reusable["20261118"]).BackupId);
        Assert.Equal("20261112T180000000Z", Assert.Single(reusable["20261110"]).BackupId);
    }

    [Fact]
    public void ACopyOlderThanHalfTheRetentionIsMadeAgainAndOneBadFileSpoilsItsDay()
    {
        var previous = Manifest(
            File("20261110", backupId: "20261112T180000000Z"),
            File("20261118", backupId: null),
            File("20261117", backupId: null),
            File("20261117", backupId: "not-a-backup-id"));

        var reusable = SettledDays.Reusable(previous, AuditTables.LogTable, Now, reuseSince: Now.AddDays(-8));

        Assert.Equal(["20261118"], reusable.Keys);
    }

    [Fact]
    public void TheQueryReadsEverythingOutsideTheRunsOfReusedDays()
    {
        var (reused, filter) = SettledDays.Remainder(["20261103", "20261101", "20261102", "20261110"]);

        Assert.Equal(["20261101", "20261102", "20261103", "20261110"], reused);
        Assert.Equal(
            "(PartitionKey lt '20261101') or (PartitionKey gt '20261103' and PartitionKey lt '20261110') or (PartitionKey gt '20261110')",
            filter);
        Assert.Equal(([], null), SettledDays.Remainder([]));
    }

    [Fact]
    public void AtMostSevenRunsAreReusedSoTheQueryStaysWithinFifteenComparisons()
    {
        // Every other day: ten runs of one day each.
        var days = Enumerable.Range(0, 10).Select(index => new DateOnly(2026, 11, 1).AddDays(2 * index).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)).ToList();

        var (reused, filter) = SettledDays.Remainder(days);

        Assert.Equal(days.TakeLast(7), reused);
        Assert.Equal(14, filter!.Split(' ').Count(word => word is "lt" or "gt"));
        Assert.StartsWith($"(PartitionKey lt '{days[3]}')", filter, StringComparison.Ordinal); // the three oldest days are read again
    }

    private static TableFile File(string day, string? backupId)
        => new(AuditTables.LogTable, 10, $"tables/AuditLog.{day}.00000.enc", "x", day, backupId);

    private static BackupManifest Manifest(params TableFile[] tables)
        => new(BackupManifest.CurrentFormat, Earlier, Now.AddDays(-5), null, "key", tables, []);
}

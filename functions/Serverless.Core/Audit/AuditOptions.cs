using System.ComponentModel.DataAnnotations;

namespace Serverless.Audit;

/// <summary>Sealing settings (section <c>Audit</c>). The defaults suit production; tests shrink them.</summary>
public sealed class AuditOptions
{
    public const int MaxSealSize = 1000;

    /// <summary>Entries younger than this are left for a later seal, so a write still in flight (or from an
    /// instance whose clock runs a little behind) lands before its range is sealed instead of looking planted.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SettleDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>At most this many entries per seal (one table query page).</summary>
    [Range(1, MaxSealSize)]
    public int EntriesPerSeal { get; set; } = MaxSealSize;

    /// <summary>One sealer run writes at most this many seals, so a timer run stays short; the next run continues.</summary>
    [Range(1, 10_000)]
    public int MaxSealsPerRun { get; set; } = 100;
}

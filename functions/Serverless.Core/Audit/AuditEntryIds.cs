using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Serverless.Audit;

/// <summary>
/// Audit entry ids, which are also the row keys of <c>AuditLog</c>: the UTC ticks of the entry's time
/// (19 digits, so they sort as text) and 12 random hex digits, e.g. <c>0639000000000000000-1a2b3c4d5e6f</c>.
/// Sorting by id sorts by time; the partition is the entry's UTC day, so the id names its partition too.
/// </summary>
public static partial class AuditEntryIds
{
    public static string New(DateTimeOffset at)
        => TicksKey(at) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>The partition of entries written at <paramref name="at"/>: the UTC day, <c>yyyyMMdd</c>.</summary>
    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    /// <summary>The id's time part. Every id of an entry written before <paramref name="at"/> sorts below it.</summary>
    public static string TicksKey(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    public static bool IsEntryId(string? value) => value is not null && Shape().IsMatch(value);

    /// <summary>The partition an id belongs in, or null when it is not an entry id.</summary>
    public static string? DayOf(string entryId)
        => entryId.Length >= 19 && long.TryParse(entryId.AsSpan(0, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTime.MaxValue.Ticks
            ? Day(new DateTimeOffset(ticks, TimeSpan.Zero))
            : null;

    [GeneratedRegex("^[0-9]{19}-[0-9a-f]{12}$")]
    private static partial Regex Shape();
}

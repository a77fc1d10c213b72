using System.Globalization;
using System.Text.RegularExpressions;

namespace Serverless.OnCall;

/// <summary>Times of day on the wire: "HH:mm", 00:00 to 23:59, two digits each (a slot to midnight ends at "00:00").</summary>
public static partial class OnCallTimes
{
    public static bool IsValid(string? time) => time is not null && Shape().IsMatch(time);

    /// <summary>A time already validated (a stored schedule, or one that passed <see cref="IsValid"/>).</summary>
    public static TimeOnly Parse(string time) => TimeOnly.ParseExact(time, "HH:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex Shape();
}

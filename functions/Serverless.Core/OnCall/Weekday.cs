namespace Serverless.OnCall;

/// <summary>
/// A day of the week in a weekly slot, numbered as <see cref="DayOfWeek"/>. The app's own enum, so the
/// contract names it <c>Weekday</c> and a generated client does not clash with the platform's DayOfWeek.
/// </summary>
public enum Weekday
{
    Sunday = DayOfWeek.Sunday,
    Monday = DayOfWeek.Monday,
    Tuesday = DayOfWeek.Tuesday,
    Wednesday = DayOfWeek.Wednesday,
    Thursday = DayOfWeek.Thursday,
    Friday = DayOfWeek.Friday,
    Saturday = DayOfWeek.Saturday,
}

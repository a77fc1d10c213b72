namespace Serverless.OnCall;

/// <summary>
/// Who among the coordinators is on call (当番): a weekly schedule plus dated exceptions. Times are "HH:mm"
/// in Japan. A span whose <c>to</c> is not after its <c>from</c> runs past midnight into the next day
/// (17:30–08:30); an exception covering an instant replaces the weekly schedule for that instant.
/// Stored whole and returned by the API as it is stored; <c>PUT /api/on-call</c> replaces it whole.
/// </summary>
public sealed record OnCallSchedule
{
    /// <summary>Required, like <see cref="Exceptions"/>: a PUT that forgot one would otherwise empty it.</summary>
    public required IReadOnlyList<WeeklySlot> Weekly { get; init; }

    public required IReadOnlyList<OnCallException> Exceptions { get; init; }
}

/// <summary>Every week on <see cref="Day"/>, from <see cref="From"/> to <see cref="To"/> (the next day's, when not after it).</summary>
public sealed record WeeklySlot
{
    public required Weekday Day { get; init; }

    public required string From { get; init; }

    public required string To { get; init; }

    public IReadOnlyList<string> PersonIds { get; init; } = [];
}

/// <summary>
/// One dated change to the weekly schedule: a holiday, a swap. Without <see cref="From"/> and <see cref="To"/>
/// it covers the whole day. No <see cref="PersonIds"/> means nobody is on call then, so every coordinator is
/// told. The note is a coordinator's words (it may name someone), so it is never logged.
/// </summary>
public sealed record OnCallException
{
    public required DateOnly Date { get; init; }

    public string? From { get; init; }

    public string? To { get; init; }

    public IReadOnlyList<string> PersonIds { get; init; } = [];

    public string? Note { get; init; }
}

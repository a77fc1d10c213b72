namespace Serverless.OnCall;

/// <summary>
/// Explicit limits of the on-call schedule. A week of shifts for a council's few coordinators needs a handful
/// of slots; a year of dated exceptions is one a day. Whatever the counts, the stored JSON must also fit the
/// row (<see cref="Cases.Storage.RecordChunks.MaxLength"/> characters), which a realistic schedule never nears.
/// </summary>
public static class OnCallLimits
{
    public const int WeeklySlots = 50;

    public const int Exceptions = 366;

    public const int PeoplePerSlot = 20;

    /// <summary>Characters of an exception's note, as a person sees them.</summary>
    public const int Note = 200;
}

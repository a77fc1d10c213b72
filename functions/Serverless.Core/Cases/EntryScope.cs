namespace Serverless.Cases;

/// <summary>Who among those who see a case sees one entry of it.</summary>
public enum EntryAudience
{
    /// <summary>Everyone who sees the case.</summary>
    AllParticipants,

    /// <summary>Coordinators only (e.g. the child's own words about a guardian, before a decision).</summary>
    CoordinatorsOnly,

    /// <summary>Coordinators and the agencies listed.</summary>
    NamedAgencies,
}

/// <summary>The visibility an entry carries, set when it is added to a case.</summary>
public sealed record EntryScope(EntryAudience Audience, IReadOnlyList<string> AgencyIds)
{
    public static EntryScope AllParticipants { get; } = new(EntryAudience.AllParticipants, []);

    public static EntryScope CoordinatorsOnly { get; } = new(EntryAudience.CoordinatorsOnly, []);
}

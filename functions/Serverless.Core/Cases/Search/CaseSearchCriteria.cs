namespace Serverless.Cases.Search;

/// <summary><c>POST /api/cases/search</c>: any of these; names in kana or kanji, any width or spacing.</summary>
public sealed record CaseSearchCriteria
{
    public string? Name { get; init; }

    public IReadOnlyList<string> PreviousNames { get; init; } = [];

    public DateOnly? BirthDate { get; init; }

    public string? GuardianName { get; init; }
}

/// <summary>A case that may be the same child, and which criteria it matched (<c>name</c>, <c>birth-date</c>, <c>guardian</c>).</summary>
public sealed record CaseCandidate(string CaseId, IReadOnlyList<string> MatchedOn, bool BirthDateConflicts);

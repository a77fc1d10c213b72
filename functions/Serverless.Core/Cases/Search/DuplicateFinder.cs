using Serverless.Identity;

namespace Serverless.Cases.Search;

/// <summary>
/// Finds cases that may concern the same child. A name matches under kana variants (width, small
/// kana, long-vowel marks, spacing) and kanji variants; a missing birth date on either side never
/// rules a case out, a different one is reported as a conflict rather than hidden.
/// The index knows nothing of who may see a case: a search drops the cases the caller is barred from
/// (<see cref="CaseGate.BarredAmongAsync"/>), so for them it reads exactly like no match.
/// </summary>
public sealed class DuplicateFinder(ChildIndex index, ChildKeys keys, CaseGate gate)
{
    /// <summary>The candidates <paramref name="caller"/> may know of: one case read per candidate, side by side, to apply the bar.</summary>
    public async Task<IReadOnlyList<CaseCandidate>> SearchAsync(Caller caller, CaseSearchCriteria criteria, CancellationToken cancellationToken)
    {
        var candidates = await SearchIndexAsync(criteria, cancellationToken);
        var barred = await gate.BarredAmongAsync(caller, candidates.Select(candidate => candidate.CaseId), cancellationToken);
        return [.. candidates.Where(candidate => !barred.Contains(candidate.CaseId))];
    }

    private async Task<IReadOnlyList<CaseCandidate>> SearchIndexAsync(CaseSearchCriteria criteria, CancellationToken cancellationToken)
    {
        var birthDateKey = criteria.BirthDate is { } date ? keys.ForBirthDate(date) : null;
        var matches = new Dictionary<string, (SortedSet<string> On, bool Conflict)>(StringComparer.Ordinal);

        void Add(string caseId, string kind, bool conflict)
        {
            var (on, conflicted) = matches.TryGetValue(caseId, out var found) ? found : (new SortedSet<string>(StringComparer.Ordinal), false);
            on.Add(kind);
            matches[caseId] = (on, conflicted || conflict);
        }

        var nameHashes = new[] { criteria.Name }.Concat(criteria.PreviousNames).OfType<string>()
            .SelectMany(name => keys.ForName(ChildKeys.Name, name))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var hash in nameHashes)
        {
            foreach (var row in await index.FindAsync(hash, cancellationToken))
            {
                var conflict = birthDateKey is not null && row.BirthDateKey is not null && row.BirthDateKey != birthDateKey;
                Add(row.RowKey, ChildKeys.Name, conflict);
            }
        }

        if (birthDateKey is not null)
        {
            foreach (var row in await index.FindAsync(birthDateKey, cancellationToken))
            {
                Add(row.RowKey, ChildKeys.BirthDate, conflict: false);
            }
        }

        if (criteria.GuardianName is { } guardian)
        {
            foreach (var hash in keys.ForName(ChildKeys.Guardian, guardian))
            {
                foreach (var row in await index.FindAsync(hash, cancellationToken))
                {
                    Add(row.RowKey, ChildKeys.Guardian, conflict: false);
                }
            }
        }

        return matches
            .Select(match => new CaseCandidate(match.Key, match.Value.On.ToList(), match.Value.Conflict && !match.Value.On.Contains(ChildKeys.BirthDate)))
            .OrderByDescending(candidate => candidate.MatchedOn.Count)
            .ThenBy(candidate => candidate.BirthDateConflicts)
            .ThenBy(candidate => candidate.CaseId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Cases that may already hold the child of <paramref name="record"/>: same name, and birth dates not in conflict.
    /// Straight from the index, bars not applied: the caller (<see cref="CaseService"/>) decides what to tell whom.</summary>
    public async Task<IReadOnlyList<string>> PossibleDuplicatesAsync(CaseRecord record, CancellationToken cancellationToken)
    {
        var subject = record.Child ?? record.ExpectantMother?.Mother;
        if (subject is null)
        {
            return [];
        }

        var candidates = new SortedSet<string>(StringComparer.Ordinal);
        var ownKeys = keys.For(record with { Household = [] });
        var birthDateKey = subject.BirthDate is { } date ? keys.ForBirthDate(date) : null;
        var found = await Task.WhenAll(ownKeys.Where(key => key.Kind == ChildKeys.Name).Select(key => key.Hash).Distinct(StringComparer.Ordinal)
            .Select(hash => index.FindAsync(hash, cancellationToken)));
        foreach (var rows in found)
        {
            foreach (var row in rows)
            {
                if (birthDateKey is null || row.BirthDateKey is null || row.BirthDateKey == birthDateKey)
                {
                    candidates.Add(row.RowKey);
                }
            }
        }

        return candidates.ToList();
    }
}

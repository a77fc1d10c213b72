using Serverless.Cases.BreakGlass;
using Serverless.Cases.Storage;
using Serverless.Identity;
using Serverless.Time;

namespace Serverless.Cases;

/// <summary>What a case-scoped operation needs of the case.</summary>
public enum CaseNeed
{
    /// <summary>Read the case and the entries the caller may see: coordinators, named members of an agency on the
    /// case, and a designated person holding a running break-glass grant.</summary>
    Read,

    /// <summary>Add an entry (a report, a comment): coordinators, named members of an agency on the case today, and
    /// the submission key of an agency on the case today (which sees nothing of it). Break-glass reads only.</summary>
    AddEntry,

    /// <summary>Change the case or act on it (edit, disposal, legal hold, review of a grant): coordinators.</summary>
    Manage,

    /// <summary>Open a break-glass grant: a designated person, whether or not they see the case yet.</summary>
    OpenBreakGlass,
}

/// <summary>A case the gate let the caller into, and whether a break-glass grant is what let them in.</summary>
public sealed record OpenCase(StoredCase Stored, bool BreakGlass)
{
    public string CaseId => Stored.CaseId;

    public CaseRecord Record => Stored.Record;
}

/// <summary>
/// The one place that decides whether a caller may touch one case, for every case-scoped operation. A case
/// the caller may not reach answers exactly like a missing one (<see cref="CaseOutcome{T}.NotFound"/>; the
/// audit alone is told it exists), before anything else about the request is looked at; a caller who sees the
/// case but whose role may not do this gets <see cref="CaseOutcome{T}.Forbidden"/>. A bar wins over every right.
/// The gate notes on the caller's audit notes what it decided (hidden, break-glass, the case touched), so no
/// service has to remember to. Entries inside the case are then decided by <see cref="CaseAccess.CanSeeEntry"/>.
/// </summary>
public sealed class CaseGate(CaseStore store, BreakGlassGrants grants, TimeProvider clock)
{
    public async Task<CaseOutcome<OpenCase>> OpenAsync(Caller caller, string caseId, CaseNeed need, CancellationToken cancellationToken)
    {
        var decision = await DecideAsync(caller, caseId, need, cancellationToken);
        Note(caller, caseId, decision);
        return decision;
    }

    /// <summary>
    /// Several cases at once (an inbox page naming a few): each decided exactly as <see cref="OpenAsync"/> decides one,
    /// read side by side; the audit notes are written afterwards, in the order given.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CaseOutcome<OpenCase>>> OpenManyAsync(Caller caller, IEnumerable<string> caseIds, CaseNeed need, CancellationToken cancellationToken)
    {
        var ids = caseIds.Distinct(StringComparer.Ordinal).ToList();
        var decisions = await Task.WhenAll(ids.Select(caseId => DecideAsync(caller, caseId, need, cancellationToken)));
        var opened = new Dictionary<string, CaseOutcome<OpenCase>>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            Note(caller, ids[i], decisions[i]);
            opened[ids[i]] = decisions[i];
        }

        return opened;
    }

    private async Task<CaseOutcome<OpenCase>> DecideAsync(Caller caller, string caseId, CaseNeed need, CancellationToken cancellationToken)
    {
        if (!CaseIds.IsValid(caseId))
        {
            return new CaseOutcome<OpenCase>.NotFound();
        }

        // Read even for a caller who can reach no case: only the read tells the audit refused from missing. The
        // request's own case was read while its audit intent was written.
        var stored = await ReadAsync(caller, caseId, cancellationToken);
        return stored is null ? new CaseOutcome<OpenCase>.NotFound() : await DecideAsync(caller, stored, need, cancellationToken);
    }

    /// <summary>What the gate decided, on the caller's audit notes: hidden, the case touched, break-glass.</summary>
    private static void Note(Caller caller, string caseId, CaseOutcome<OpenCase> decision)
    {
        switch (decision)
        {
            case CaseOutcome<OpenCase>.NotFound { Hidden: true }:
                caller.Audit.MarkHidden();
                break;
            case CaseOutcome<OpenCase>.Done { Value: var open }:
                caller.Audit.Touched([caseId]);
                if (open.BreakGlass)
                {
                    caller.Audit.MarkBreakGlass();
                }

                break;
        }
    }

    /// <summary>
    /// Whether <paramref name="caller"/> is barred from the case: a bar also keeps a coordinator out of the
    /// case's audit entries (who worked on it, and when). One point read; false for a missing case. Noted as
    /// hidden for the audit when true.
    /// </summary>
    public async Task<bool> IsBarredAsync(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var barred = CaseIds.IsValid(caseId) && await ReadAsync(caller, caseId, cancellationToken) is { } stored && CaseAccess.IsBarred(caller, stored.Record);
        if (barred)
        {
            caller.Audit.MarkHidden();
        }

        return barred;
    }

    /// <summary>
    /// Which of <paramref name="caseIds"/> the caller is barred from, for answers built from an index (search, the
    /// duplicate check, the audit by actor) that must drop what the caller may not see: one point read per distinct
    /// case, side by side; missing cases are not barred. Noted as hidden for the audit when any is.
    /// </summary>
    public async Task<IReadOnlySet<string>> BarredAmongAsync(Caller caller, IEnumerable<string> caseIds, CancellationToken cancellationToken)
    {
        if (caller.Kind != CallerKind.Person)
        {
            return new HashSet<string>(StringComparer.Ordinal); // only a person can be barred: nothing to read
        }

        var ids = caseIds.Where(CaseIds.IsValid).Distinct(StringComparer.Ordinal).ToList();
        var read = await Task.WhenAll(ids.Select(caseId => ReadAsync(caller, caseId, cancellationToken)));
        var barred = read.OfType<StoredCase>().Where(stored => CaseAccess.IsBarred(caller, stored.Record)).Select(stored => stored.CaseId).ToHashSet(StringComparer.Ordinal);
        if (barred.Count > 0)
        {
            caller.Audit.MarkHidden();
        }

        return barred;
    }

    private async Task<CaseOutcome<OpenCase>> DecideAsync(Caller caller, StoredCase stored, CaseNeed need, CancellationToken cancellationToken)
    {
        var record = stored.Record;
        if (CaseAccess.IsBarred(caller, record))
        {
            return Hidden();
        }

        var today = JapanTime.Today(clock);
        if (need == CaseNeed.OpenBreakGlass)
        {
            return CaseAccess.MayBreakGlass(caller, record) ? Open(stored, breakGlass: false) : Hidden();
        }

        if (need == CaseNeed.AddEntry && caller.Kind == CallerKind.SubmissionKey)
        {
            return CaseAccess.AgencyTakesPart(caller.AgencyId, record, today) ? Open(stored, breakGlass: false) : Hidden();
        }

        var sees = CaseAccess.CanSee(caller, record, today);
        // Only now, and only for a designated person, is the grant table read.
        var breakGlass = !sees && CaseAccess.MayBreakGlass(caller, record) && await grants.HasActiveGrantAsync(stored.CaseId, caller.Id, clock.GetUtcNow(), cancellationToken);
        if (!sees && !breakGlass)
        {
            return Hidden();
        }

        return need switch
        {
            CaseNeed.Read => Open(stored, breakGlass),
            CaseNeed.AddEntry => breakGlass ? Forbidden() : Open(stored, breakGlass: false),
            CaseNeed.Manage => caller.IsCoordinator && !breakGlass ? Open(stored, breakGlass: false) : Forbidden(),
            _ => throw new ArgumentOutOfRangeException(nameof(need), need, null),
        };
    }

    private async Task<StoredCase?> ReadAsync(Caller caller, string caseId, CancellationToken cancellationToken)
        => caller.CaseReadAhead is { } ahead && ahead.CaseId == caseId ? await ahead.Read : await store.GetAsync(caseId, cancellationToken);

    private static CaseOutcome<OpenCase> Open(StoredCase stored, bool breakGlass) => new CaseOutcome<OpenCase>.Done(new OpenCase(stored, breakGlass));

    private static CaseOutcome<OpenCase> Hidden() => new CaseOutcome<OpenCase>.NotFound(Hidden: true);

    private static CaseOutcome<OpenCase> Forbidden() => new CaseOutcome<OpenCase>.Forbidden();
}

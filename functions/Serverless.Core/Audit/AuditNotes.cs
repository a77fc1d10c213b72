namespace Serverless.Audit;

/// <summary>
/// What a request's handling tells the audit beyond the status code: that a 404 hid a case that exists
/// (refused, not missing), that access rested on break-glass, and which cases and entries an answer carried.
/// One per request, carried by the <see cref="Identity.Caller"/>, so the case gate and the services note what
/// they decided where they decide it; the HTTP layer writes the outcome entry from it.
/// </summary>
public sealed class AuditNotes
{
    private readonly List<string> casesTouched = [];
    private readonly List<string> entriesTouched = [];

    public bool Hidden { get; private set; }

    public bool BreakGlass { get; private set; }

    /// <summary>Set when the handler knows the outcome better than the status code does.</summary>
    public AuditOutcome? Outcome { get; set; }

    /// <summary>What an administration act did to whom (the ids it acted on), for its outcome entry.</summary>
    public AuditTarget? Target { get; private set; }

    public IReadOnlyCollection<string> CasesTouched => casesTouched;

    /// <summary>Entries of the request's case (reports, comments) whose content the answer carried.</summary>
    public IReadOnlyCollection<string> EntriesTouched => entriesTouched;

    /// <summary>Adds to the target: the route names some ids, the service learns the rest (a new membership's id).</summary>
    public void Targeted(AuditTarget target) => Target = Target is null ? target : Target.With(target);

    public void MarkHidden() => Hidden = true;

    public void MarkBreakGlass() => BreakGlass = true;

    public void Touched(IEnumerable<string> caseIds) => casesTouched.AddRange(caseIds);

    public void TouchedEntries(IEnumerable<string> entryIds) => entriesTouched.AddRange(entryIds);

    /// <summary>The outcome a status code means, unless the handler said otherwise.</summary>
    public AuditOutcome OutcomeFor(int status)
        => Outcome ?? status switch
        {
            >= 200 and < 300 => AuditOutcome.Succeeded,
            401 => AuditOutcome.Unauthenticated,
            403 or 429 => AuditOutcome.Refused,
            404 => Hidden ? AuditOutcome.Refused : AuditOutcome.Missing,
            409 or 412 or 422 or 428 => AuditOutcome.Conflict,
            >= 400 and < 500 => AuditOutcome.Invalid,
            _ => AuditOutcome.Failed,
        };
}

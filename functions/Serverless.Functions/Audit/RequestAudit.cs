using Serverless.Audit;

namespace Serverless.Functions.Audit;

/// <summary>
/// What a handler tells the audit about its request beyond the status code: that a 404 hid a case
/// that exists (refused, not missing), that access rested on break-glass, and which cases an answer
/// carried (a list page). <see cref="Http.HttpEndpoint"/> writes the outcome entry from it.
/// </summary>
public sealed class RequestAudit
{
    private readonly List<string> casesTouched = [];

    public bool Hidden { get; private set; }

    public bool BreakGlass { get; private set; }

    /// <summary>Set when the handler knows the outcome better than the status code does.</summary>
    public AuditOutcome? Outcome { get; set; }

    public IReadOnlyCollection<string> CasesTouched => casesTouched;

    public void MarkHidden() => Hidden = true;

    public void MarkBreakGlass() => BreakGlass = true;

    public void Touched(IEnumerable<string> caseIds) => casesTouched.AddRange(caseIds);

    /// <summary>The outcome a status code means, unless the handler said otherwise.</summary>
    public AuditOutcome OutcomeFor(int status)
        => Outcome ?? status switch
        {
            >= 200 and < 300 => AuditOutcome.Succeeded,
            401 => AuditOutcome.Unauthenticated,
            403 or 429 => AuditOutcome.Refused,
            404 => Hidden ? AuditOutcome.Refused : AuditOutcome.Missing,
            409 or 412 or 428 => AuditOutcome.Conflict,
            >= 400 and < 500 => AuditOutcome.Invalid,
            _ => AuditOutcome.Failed,
        };
}

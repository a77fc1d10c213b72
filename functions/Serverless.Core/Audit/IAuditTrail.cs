namespace Serverless.Audit;

/// <summary>
/// The audit trail's write side. Fail closed: <see cref="BeginAsync"/> writes the intent before any
/// data is touched and throws if it cannot, so the caller returns and changes nothing; the outcome
/// entry follows. The verifier flags an intent that never got its outcome.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Writes the intent entry. Throws when it cannot be written.</summary>
    /// <param name="caseId">The case the action is about, if one (an opaque id).</param>
    /// <param name="entryId">The entry within the case, if one.</param>
    /// <param name="breakGlass">True when access rests on a break-glass grant.</param>
    /// <param name="target">What an administration act is about, as far as the request names it (<see cref="AuditTarget"/>).</param>
    Task<AuditIntent> BeginAsync(AuditActor actor, AuditRequest request, string action, string? caseId, string? entryId, bool breakGlass, CancellationToken cancellationToken, AuditTarget? target = null);

    /// <summary>Writes the outcome entry for <paramref name="intent"/>.</summary>
    /// <param name="actor">Who acted, as finally established (it may be more precise than at the intent).</param>
    /// <param name="casesTouched">Every case whose data the answer carried (a list page names each), so
    /// "who looked at this case" finds list and search reads too. The intent's own case need not be repeated.</param>
    /// <param name="entriesTouched">Entries of the case (reports, comments) whose content the answer carried, so
    /// "who has read this report" is answerable from the case's audit; stored on the one outcome entry, so an answer
    /// carrying fifty entries costs no more writes than one carrying none.</param>
    /// <param name="target">What an administration act did to whom: the ids it acted on (<see cref="AuditTarget"/>).</param>
    Task CompleteAsync(AuditIntent intent, AuditActor actor, AuditOutcome outcome, IReadOnlyCollection<string> casesTouched, bool breakGlass, CancellationToken cancellationToken, IReadOnlyCollection<string>? entriesTouched = null, AuditTarget? target = null);

    /// <summary>One entry for an action refused before any data was touched (no credentials, a bad key).</summary>
    /// <param name="caseId">The case the entry is indexed under: only an authenticated caller's.</param>
    /// <param name="target">What an administration act tried to do to whom (<see cref="AuditTarget"/>).</param>
    /// <param name="requestedCaseId">The case an unauthenticated request named: kept on the entry, never indexed
    /// (anyone can name any case, and an anonymous flood must not fill a case's audit index).</param>
    Task RecordAsync(AuditActor actor, AuditRequest request, string action, string? caseId, AuditOutcome outcome, CancellationToken cancellationToken, AuditTarget? target = null, string? requestedCaseId = null);
}

/// <summary>What <see cref="IAuditTrail.BeginAsync"/> wrote, for the matching outcome.</summary>
public sealed record AuditIntent(string EntryId, AuditActor Actor, AuditRequest Request, string Action, string? CaseId, string? EntryInCase, DateTimeOffset At);

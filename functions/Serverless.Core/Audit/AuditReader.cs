using Serverless.Cases;
using Serverless.Identity;

namespace Serverless.Audit;

/// <summary>
/// The audit trail as one caller may read it. A bar also keeps a coordinator out of a case's audit rows (who worked
/// on it, and when); auditors oversee and are never held back. By case, a barred case answers exactly like a missing
/// one, which has no rows: 200 with an empty page (the audit of this read records it as refused, not succeeded). By
/// actor, rows naming a case the caller is barred from are left out (one case read per distinct case on the page, side
/// by side), so a page may hold fewer entries than asked for; follow the token.
/// </summary>
public sealed class AuditReader(AuditQuery query, CaseGate gate)
{
    public async Task<AuditQueryOutcome> ByCaseAsync(Caller caller, string caseId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        // Side by side: a barred case costs what a missing one does, and is validated the same way.
        var barred = IsHeldBack(caller) ? gate.IsBarredAsync(caller, caseId, cancellationToken) : Task.FromResult(false);
        var outcome = await query.ByCaseAsync(caseId, pageSize, continuationToken, cancellationToken);
        if (await barred && outcome is AuditQueryOutcome.Done)
        {
            caller.Audit.Outcome = AuditOutcome.Refused;
            return new AuditQueryOutcome.Done(new AuditPage([], null));
        }

        return outcome;
    }

    /// <inheritdoc cref="AuditQuery.ByActorAsync"/>
    public async Task<AuditQueryOutcome> ByActorAsync(Caller caller, string actorId, DateTimeOffset fromUtc, DateTimeOffset toUtc, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var outcome = await query.ByActorAsync(actorId, fromUtc, toUtc, pageSize, continuationToken, cancellationToken);
        if (outcome is not AuditQueryOutcome.Done { Page: var page } || !IsHeldBack(caller))
        {
            return outcome;
        }

        var barred = await gate.BarredAmongAsync(caller, page.Entries.Select(entry => entry.CaseId).OfType<string>(), cancellationToken);
        return barred.Count == 0
            ? outcome
            : new AuditQueryOutcome.Done(page with { Entries = [.. page.Entries.Where(entry => entry.CaseId is null || !barred.Contains(entry.CaseId))] });
    }

    private static bool IsHeldBack(Caller caller) => caller.IsCoordinator;
}

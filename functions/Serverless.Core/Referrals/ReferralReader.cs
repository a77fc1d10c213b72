using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Referrals;

/// <summary>One referral as its reader may see it: whole for a coordinator, its receipt for whoever submitted it.</summary>
public sealed record ReferralRead(ReferralView? Referral, ReferralReceipt? Receipt);

/// <summary>
/// Reading referrals. Coordinators read everything (a coordinator barred from the case a referral became part of
/// gets 404, as for the case); whoever submitted one sees its receipt and state only; anyone else gets 404, exactly
/// as for a referral that does not exist. Admins and auditors are refused outright: they never see a child's data.
/// </summary>
public sealed class ReferralReader(ReferralStore store, CaseGate gate, TimeProvider clock)
{
    public async Task<CaseOutcome<ReferralRead>> GetAsync(Caller caller, string referralId, CancellationToken cancellationToken)
    {
        var found = await FindAsync(caller, referralId, cancellationToken);
        if (found is not CaseOutcome<StoredReferral>.Done { Value: var referral })
        {
            return found.As<ReferralRead>();
        }

        if (!caller.IsCoordinator)
        {
            // Not noted for the audit: an auditor reading who touched this id would learn who referred the child.
            return new CaseOutcome<ReferralRead>.Done(new ReferralRead(null, Receipt(referral)));
        }

        caller.Audit.TouchedEntries([referralId]);
        var (confirmations, escalations) = await store.PartsAsync(referralId, cancellationToken);
        return new CaseOutcome<ReferralRead>.Done(new ReferralRead(View(caller, referral, confirmations, escalations), null));
    }

    /// <summary>
    /// The referral as its caller may act on it: a coordinator's (not barred from its case), or, when
    /// <paramref name="submitterMay"/>, the submitter's own. Everything else is NotFound, hidden or missing alike.
    /// </summary>
    public async Task<CaseOutcome<StoredReferral>> FindAsync(Caller caller, string referralId, CancellationToken cancellationToken, bool submitterMay = true)
    {
        if (!caller.MaySeeCases && caller.Kind != CallerKind.SubmissionKey)
        {
            return new CaseOutcome<StoredReferral>.Forbidden();
        }

        var referral = ReferralIds.IsValid(referralId) ? await store.GetAsync(referralId, cancellationToken) : null;
        if (referral is null)
        {
            return new CaseOutcome<StoredReferral>.NotFound();
        }

        if (caller.IsCoordinator)
        {
            // Part of a case: the case gate decides (a bar on the case bars its referral too).
            if (referral.CaseId is { } caseId && await gate.OpenAsync(caller, caseId, CaseNeed.Read, cancellationToken) is not CaseOutcome<OpenCase>.Done)
            {
                caller.Audit.MarkHidden();
                return new CaseOutcome<StoredReferral>.NotFound(Hidden: true);
            }

            return new CaseOutcome<StoredReferral>.Done(referral);
        }

        if (submitterMay && IsSubmitter(caller, referral))
        {
            return new CaseOutcome<StoredReferral>.Done(referral);
        }

        caller.Audit.MarkHidden();
        return new CaseOutcome<StoredReferral>.NotFound(Hidden: true);
    }

    /// <summary>The coordinators' open list: one partition query; overdue first, then the oldest receipt first.</summary>
    public async Task<CaseOutcome<OpenReferralList>> OpenAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<OpenReferralList>.Forbidden();
        }

        var now = clock.GetUtcNow();
        var pointers = await store.OpenAsync(cancellationToken);
        var items = new List<OpenReferralItem>();
        foreach (var pointer in pointers)
        {
            if (pointer.Confirmed)
            {
                items.Add(new OpenReferralItem(pointer.ReferralId, pointer.ReceiptNumber, ReferralRows.Parse<ReferralKind>(pointer.Kind), ReferralRows.Parse<ReferralState>(pointer.State), JapanTime.ToJapan(pointer.ReceivedAt), ReferralClock.View(pointer, now), ReferralRows.Stages(pointer)));
            }
            else if (await store.GetAsync(pointer.ReferralId, cancellationToken) is { IsOpen: true } stored)
            {
                // Written ahead of a referral whose request is still running, or that crashed after storing it: the
                // referral itself says. A pointer to nothing is skipped here and dropped by the clock.
                items.Add(new OpenReferralItem(stored.ReferralId, stored.ReceiptNumber, stored.Kind, stored.State, JapanTime.ToJapan(stored.ReceivedAt), ReferralClock.View(stored, now), []));
            }
        }

        var ordered = items.OrderByDescending(item => item.Clock?.Overdue == true).ThenBy(item => item.ReceivedAt).ThenBy(item => item.ReferralId, StringComparer.Ordinal).ToList();
        return new CaseOutcome<OpenReferralList>.Done(new OpenReferralList(ordered));
    }

    /// <summary>The coordinators' look-up by the receipt number a caller quotes on the phone.</summary>
    public async Task<CaseOutcome<OpenReferralList>> ByReceiptAsync(Caller caller, string receiptNumber, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<OpenReferralList>.Forbidden();
        }

        if (ReceiptNumbers.Normalize(receiptNumber) is not { } number)
        {
            return new CaseOutcome<OpenReferralList>.Invalid([new ValidationError("receipt", FieldRules.InvalidValue)]);
        }

        var now = clock.GetUtcNow();
        var referralId = await store.ByReceiptAsync(number, cancellationToken);
        var referral = referralId is null ? null : await store.GetAsync(referralId, cancellationToken);
        return new CaseOutcome<OpenReferralList>.Done(new OpenReferralList(
            referral is null || referral.ReceiptNumber != number
                ? []
                : [new OpenReferralItem(referral.ReferralId, referral.ReceiptNumber, referral.Kind, referral.State, JapanTime.ToJapan(referral.ReceivedAt), ReferralClock.View(referral, now), [])]));
    }

    /// <summary>What a member or a form submitted, newest first: receipts and states only.</summary>
    public async Task<CaseOutcome<ReceiptPage>> MineAsync(Caller caller, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        if (!caller.MaySeeCases && caller.Kind != CallerKind.SubmissionKey)
        {
            return new CaseOutcome<ReceiptPage>.Forbidden();
        }

        var size = pageSize ?? ReferralLimits.DefaultPageSize;
        if (size is < 1 or > ReferralLimits.MaxPageSize)
        {
            return new CaseOutcome<ReceiptPage>.Invalid([new ValidationError("pageSize", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "1", ["max"] = ReferralLimits.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) })]);
        }

        var (rows, token) = await store.SubmittedByAsync(caller.Id, size, continuationToken, cancellationToken);
        var referrals = await Task.WhenAll(rows.Select(row => store.GetAsync(row.ReferralId, cancellationToken)));
        var receipts = referrals.Where(referral => referral is not null && IsSubmitter(caller, referral)).Select(referral => Receipt(referral!)).ToList();
        return new CaseOutcome<ReceiptPage>.Done(new ReceiptPage(receipts, token));
    }

    public static ReferralReceipt Receipt(StoredReferral referral)
        => new(referral.ReferralId, referral.ReceiptNumber, JapanTime.ToJapan(referral.ReceivedAt), referral.State);

    public ReferralView View(Caller caller, StoredReferral referral, IReadOnlyList<SafetyConfirmation> confirmations, IReadOnlyList<Escalation> escalations)
    {
        var submitter = referral.Submitter;
        return new ReferralView(
            referral.ReferralId,
            referral.ReceiptNumber,
            referral.Kind,
            referral.State,
            referral.Channel,
            referral.Route,
            JapanTime.ToJapan(referral.ReceivedAt),
            JapanTime.ToJapan(referral.Content.ObservedAt),
            ReferralClock.View(referral, clock.GetUtcNow()),
            submitter.Kind == EntryAuthor.Key
                ? new ReferralSubmitterView("form", submitter.AgencyId, null, submitter.Id, submitter.SubmittedBy)
                : new ReferralSubmitterView(EntryAuthor.Person, submitter.AgencyId, submitter.Id, null, null),
            referral.Content.Narrative,
            referral.Content.Child,
            referral.Content.Referrer,
            referral.Content.TakenBy,
            [.. confirmations.Select(c => new SafetyConfirmationView(c.ConfirmationId, JapanTime.ToJapan(c.SeenAt), c.SeenBy, c.Method, c.Place, c.Condition, c.InjurySeen, c.RecordedBy, JapanTime.ToJapan(c.RecordedAt)))],
            [.. escalations.Select(e => new EscalationView(e.Stage, JapanTime.ToJapan(e.DueAt), JapanTime.ToJapan(e.RaisedAt), e.Recipients.Count, e.DecisionDue ? true : null))],
            referral.Decision is { } d ? new ReferralDecisionView(d.Outcome, d.MeetingDate, d.DecidedBy, JapanTime.ToJapan(d.DecidedAt), d.Summary, d.CaseId, d.CentreAgencyId, d.Reason, d.NoConfirmationReason) : null,
            referral.Acceptance,
            referral.Decision is null ? ReferralCaseDraft.From(referral, caller.AgencyId) : null,
            referral.RetainUntil);
    }

    private static bool IsSubmitter(Caller caller, StoredReferral referral)
        => referral.Submitter.Id == caller.Id
            && referral.Submitter.Kind == (caller.Kind == CallerKind.SubmissionKey ? EntryAuthor.Key : EntryAuthor.Person);
}

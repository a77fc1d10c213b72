using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Serverless.Agencies;
using Serverless.Cases.BreakGlass;
using Serverless.Cases.Listing;
using Serverless.Cases.Search;
using Serverless.Cases.Storage;
using Serverless.Identity;
using Serverless.Json;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Cases;

/// <summary>
/// Registering, reading, correcting and listing cases. Each operation decides access from the case
/// itself before anything else, so a case the caller may not see answers exactly like a missing one.
/// </summary>
public sealed class CaseService(
    CaseStore store,
    CaseIndex caseIndex,
    ChildIndex childIndex,
    DuplicateFinder duplicates,
    AgencyDirectory agencies,
    CaseGate gate,
    Entries.EntryEvents events,
    Attendance.AttendanceStore attendance,
    Transfers.Outgoing.OutgoingTransferService transfers,
    TimeProvider clock,
    ILogger<CaseService> logger)
{
    public const int MaxReasonLength = 500;

    /// <summary>Fields only the server sets: a patch naming them is refused.</summary>
    private static readonly string[] ServerManagedFields = ["previousClosures", "lastReview"];
    public const int DefaultHistoryPageSize = 20;
    public const int MaxHistoryPageSize = 50;

    /// <summary>How long a list leaves a pointer that does not match its case: longer than any change can take.</summary>
    public static readonly TimeSpan PointerGracePeriod = TimeSpan.FromMinutes(10);

    /// <param name="request">Null when the body could not be read (reported after the role check).</param>
    public Task<CaseOutcome<CaseView>> CreateAsync(Caller caller, CreateCaseRequest? request, CancellationToken cancellationToken)
        => RegisterAsync(caller, request, CaseIds.New(), cancellationToken);

    /// <summary>Registers the case a referral becomes, under the id derived from the referral: a decision retried after a
    /// crash finds the case it registered (and answers with it) instead of registering the child twice.</summary>
    public async Task<CaseOutcome<CaseView>> RegisterFromReferralAsync(Caller caller, CreateCaseRequest request, string caseId, CancellationToken cancellationToken)
        => caller.IsCoordinator && await store.GetAsync(caseId, cancellationToken) is { } registered
            ? new CaseOutcome<CaseView>.Done(View(caller, registered))
            : await RegisterAsync(caller, request, caseId, cancellationToken);

    private async Task<CaseOutcome<CaseView>> RegisterAsync(Caller caller, CreateCaseRequest? request, string caseId, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<CaseView>.Forbidden();
        }

        if (request is null)
        {
            return new CaseOutcome<CaseView>.Unreadable();
        }

        var record = request.Record with { PreviousClosures = [], LastReview = null };
        // Validation and the duplicate check read different tables: ask both at once.
        var validation = ValidateAsync(record, cancellationToken);
        var possibleDuplicates = duplicates.PossibleDuplicatesAsync(record, cancellationToken);
        await Task.WhenAll(validation, possibleDuplicates);
        var (validationErrors, directory) = await validation;
        var errors = Under("$.record", validationErrors);
        ParticipationExceptionErrors(request.ParticipationException, errors);
        if (record.Status == CaseStatus.Closed)
        {
            errors.Add(new ValidationError("$.record.status", FieldRules.InvalidTransition, Transition("new", CaseStatus.Closed)));
        }

        if (request.Record.PreviousClosures.Count > 0)
        {
            errors.Add(new ValidationError("$.record.previousClosures", FieldRules.ServerManaged));
        }

        if (request.Record.LastReview is not null)
        {
            errors.Add(new ValidationError("$.record.lastReview", FieldRules.ServerManaged));
        }

        if (errors.Count > 0)
        {
            return new CaseOutcome<CaseView>.Invalid(errors);
        }

        if (CouncilMembership.FirstRefused(null, record, directory) is { } refusedAgency && request.ParticipationException is null)
        {
            return NotCouncilMember<CaseView>(refusedAgency);
        }

        var candidates = (await possibleDuplicates).Where(id => id != caseId).ToList();
        // A case the caller is barred from is never named to them, nor can they confirm it (they cannot see whether
        // it is the same child). Registering anyway would split a child's record unknown to the council; so the
        // answer stays 409, naming no hidden case but saying one may match: another coordinator must decide. That
        // tells a barred coordinator "some case may match" and nothing more (no id, no contents): a smaller harm
        // than a duplicate case. Read only when the index found candidates (rare), one point read each.
        var barred = candidates.Count == 0 ? new HashSet<string>() : await gate.BarredAmongAsync(caller, candidates, cancellationToken);
        var confirmed = (request.ConfirmedNotDuplicateOf ?? []).ToHashSet(StringComparer.Ordinal);
        var unconfirmed = candidates.Where(id => !confirmed.Contains(id) && !barred.Contains(id)).ToList();
        if (unconfirmed.Count > 0 || barred.Count > 0)
        {
            return new CaseOutcome<CaseView>.PossibleDuplicate(unconfirmed, HiddenCandidate: barred.Count > 0);
        }

        await Task.WhenAll(caseIndex.WriteAheadAsync(caseId, null, record, cancellationToken), childIndex.WriteAheadAsync(caseId, null, record, cancellationToken));
        var exception = CouncilMembership.FirstRefused(null, record, directory) is { } excepted ? CouncilMembership.WithException(null, ParticipationException(caller, caseId, excepted, request.ParticipationException!)) : null;
        var stored = await store.CreateAsync(caseId, record, Author(caller), reason: exception, cancellationToken, change => events.AnnounceAsync(change, cancellationToken));
        caller.Audit.Touched([caseId]); // the request named no case: the new one is what it touched
        logger.LogInformation("Case {CaseId} registered by {CallerId}", caseId, caller.Id);
        await SendChangeAsync(stored);
        return new CaseOutcome<CaseView>.Done(View(caller, stored));
    }

    public async Task<CaseOutcome<CaseView>> GetAsync(Caller caller, string caseId, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Read, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<CaseView>();
        }

        // "Transferring": the coordinators who manage the case see its transfer under way (ids, codes, state, deadline).
        var transfer = caller.IsCoordinator && !open.BreakGlass ? await transfers.ViewForCaseAsync(caseId, cancellationToken) : null;
        return new CaseOutcome<CaseView>.Done(View(caller, open.Stored, open.BreakGlass) with { Transfer = transfer });
    }

    /// <param name="request">Null when the body could not be read.</param>
    public async Task<CaseOutcome<CaseView>> UpdateAsync(Caller caller, string caseId, ExpectedVersion expected, UpdateCaseRequest? request, CancellationToken cancellationToken)
    {
        // Visibility first: a hidden case is 404 whatever else is wrong with the request.
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<CaseView>();
        }

        if (request is null)
        {
            return new CaseOutcome<CaseView>.Unreadable();
        }

        return await UpdateOpenAsync(caller, open, expected, request, amendment: null, cancellationToken);
    }

    /// <summary>
    /// The update path once the gate has let a coordinator in (<see cref="CaseNeed.Manage"/>): the ETag, the patch, the
    /// transition and the validation, then one new version. A council review comes this way too, with an
    /// <paramref name="amendment"/>: server-managed fields it sets and rows saved in the version's own batch.
    /// </summary>
    public async Task<CaseOutcome<CaseView>> UpdateOpenAsync(Caller caller, OpenCase open, ExpectedVersion expected, UpdateCaseRequest request, CaseAmendment? amendment, CancellationToken cancellationToken)
    {
        var caseId = open.CaseId;
        var current = open.Stored;
        if (expected.Version is null)
        {
            return new CaseOutcome<CaseView>.PreconditionRequired();
        }

        if (expected.Version != current.Version)
        {
            return new CaseOutcome<CaseView>.PreconditionFailed(current.Version);
        }

        var (changed, errors, directory) = await ApplyAsync(current.Record, request, cancellationToken);
        if (errors.Count > 0)
        {
            return new CaseOutcome<CaseView>.Invalid(errors);
        }

        changed = amendment is null ? changed : amendment.Apply(changed!);

        // 移管 closes a case only once the receiver acknowledged its transfer (and, for high risk, the face-to-face
        // hand-over is recorded): until then it stays open, "transferring".
        if (changed!.Status == CaseStatus.Closed && current.Record.Status != CaseStatus.Closed
            && changed.Closure?.Outcome == ClosureOutcome.TransferredToAnotherMunicipality
            && await transfers.TransferClosureRefusalAsync(caseId, cancellationToken) is { } refusal)
        {
            return new CaseOutcome<CaseView>.Refused(refusal);
        }

        // Only the agencies this change adds are checked: one already on the case stays.
        var refusedAgency = CouncilMembership.FirstRefused(current.Record, changed!, directory!);
        if (refusedAgency is not null && request.ParticipationException is null)
        {
            return NotCouncilMember<CaseView>(refusedAgency);
        }

        var before = JsonSerializer.SerializeToNode(current.Record, CaseJson.Options);
        var after = JsonSerializer.SerializeToNode(changed!, CaseJson.Options);
        var changedFields = JsonChanges.Paths(before, after);
        if (changedFields.Count == 0)
        {
            return new CaseOutcome<CaseView>.Done(View(caller, current)); // nothing to save: no new version
        }

        await Task.WhenAll(caseIndex.WriteAheadAsync(caseId, current.Record, changed!, cancellationToken), childIndex.WriteAheadAsync(caseId, current.Record, changed!, cancellationToken));
        var reason = refusedAgency is null ? request.Reason : CouncilMembership.WithException(request.Reason, ParticipationException(caller, caseId, refusedAgency, request.ParticipationException!));
        var extras = amendment?.Extras(current.Version + 1, changed!);
        var saved = await store.UpdateAsync(current, changed!, changedFields, Author(caller), reason, cancellationToken, change => events.AnnounceAsync(change, cancellationToken), extras);
        if (saved is null)
        {
            // Another change won; the pointers written ahead are harmless and get cleaned when met. But
            // ours may have rewritten shared pointer rows with our category, and the store may have just
            // rolled forward a version whose pointers a list has removed since: point them at what is saved.
            var latest = await store.GetAsync(caseId, cancellationToken);
            if (latest is not null)
            {
                await caseIndex.WriteAheadAsync(caseId, null, latest.Record, cancellationToken);
            }

            return new CaseOutcome<CaseView>.PreconditionFailed(latest?.Version ?? current.Version);
        }

        await Task.WhenAll(caseIndex.RemoveStaleAsync(caseId, current.Record, changed!, cancellationToken), childIndex.RemoveStaleAsync(caseId, current.Record, changed!, cancellationToken));
        // Closed, or the child moved (key agency or participation changed): off the attendance lists that no longer hold
        // the child. The lists re-check every entry against the case when read, so a crash here hides nothing it should not.
        if (Attendance.AttendanceEligibility.MayLeaveLists(current.Record, saved.Record))
        {
            await attendance.PruneAsync(caseId, saved.Record, JapanTime.Today(clock), cancellationToken);
        }
        logger.LogInformation("Case {CaseId} changed to version {Version} by {CallerId}", caseId, saved.Version, caller.Id);
        await SendChangeAsync(saved);
        foreach (var entry in extras?.Entries ?? [])
        {
            await events.SendAsync(entry);
        }

        return new CaseOutcome<CaseView>.Done(View(caller, saved));
    }

    public async Task<CaseOutcome<CaseHistoryPage>> HistoryAsync(Caller caller, string caseId, int? pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Read, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var found })
        {
            return gated.As<CaseHistoryPage>();
        }

        var current = found.Stored;
        var size = pageSize ?? DefaultHistoryPageSize;
        if (size is < 1 or > MaxHistoryPageSize)
        {
            return new CaseOutcome<CaseHistoryPage>.Invalid([PageSizeError(MaxHistoryPageSize)]);
        }

        string? storageToken = null;
        if (continuationToken is not null && (storageToken = ContinuationTokens.Decode(continuationToken, HistoryScope(caseId))) is null)
        {
            return new CaseOutcome<CaseHistoryPage>.Invalid([new ValidationError("$.continuationToken", FieldRules.InvalidId)]);
        }

        var (versions, next) = await store.HistoryAsync(caseId, size, storageToken, cancellationToken);

        // Who may see the location is decided by the case as it is now as well as by each version: secrecy
        // decided today covers the address an older version holds (the child may still live there).
        var seesLocationNow = CaseAccess.CanSeeLocation(caller, current.Record, found.BreakGlass);
        // Nor may the history tell them the location changed: its paths are left out of the changed fields, and so is
        // the reason of a version that changed it (a coordinator's words, likely "転居を確認"); under secrecy every reason
        // is withheld, as on the timeline. A version that changed only the location stays listed, with no fields: the
        // case's version number is visible anyway, so leaving it out would hide nothing and break the sequence; an empty
        // list is also what a change to the bar list shows.
        var secrecyHidesReasons = current.Record.LocationSecrecy && !seesLocationNow;
        // Under secrecy today, no version names an agency other than the lead and the caller's own (the new nursery names the area).
        var seesEveryAgency = CaseAccess.SeesEveryAgency(caller, current.Record, found.BreakGlass);
        var views = versions.Select(version =>
        {
            var seesLocation = seesLocationNow && CaseAccess.CanSeeLocation(caller, version.Record, found.BreakGlass);
            var reasonWithheld = version.Reason is not null && (secrecyHidesReasons || (!seesLocation && version.ChangedFields.Any(CaseAccess.IsLocationField)));
            return new CaseVersionView(
                version.Version,
                version.ChangedAt,
                version.ChangedBy,
                version.ChangedByAgency,
                reasonWithheld ? null : version.Reason,
                CaseAccess.ChangedFieldsForCaller(caller, version.ChangedFields, seesLocation, seesEveryAgency && CaseAccess.SeesEveryAgency(caller, version.Record, found.BreakGlass)),
                !seesLocation && version.Record.Location is not null,
                CaseAccess.ForCaller(caller, seesLocation ? version.Record : version.Record with { Location = null }, found.BreakGlass, current.Record),
                reasonWithheld ? true : null);
        }).ToList();
        return new CaseOutcome<CaseHistoryPage>.Done(new CaseHistoryPage(caseId, views, next is null ? null : ContinuationTokens.Encode(HistoryScope(caseId), next), found.BreakGlass ? true : null));
    }

    public async Task<CaseOutcome<CaseListPage>> ListAsync(Caller caller, CaseListQuery query, CancellationToken cancellationToken)
    {
        if (!caller.MaySeeCases)
        {
            return new CaseOutcome<CaseListPage>.Forbidden();
        }

        // Members list their own agency's cases; they cannot list another agency's.
        var agencyId = query.AgencyId;
        if (caller.Role == CallerRole.Member)
        {
            if (agencyId is not null && agencyId != caller.AgencyId)
            {
                return new CaseOutcome<CaseListPage>.Forbidden();
            }

            agencyId = caller.AgencyId;
        }

        var errors = new List<ValidationError>();
        if (agencyId is null && query.Status is null)
        {
            errors.Add(new ValidationError("$.status", FieldRules.StatusOrAgencyRequired));
        }

        if (query.PageSize is < 1 or > CaseListQuery.MaxPageSize)
        {
            errors.Add(PageSizeError(CaseListQuery.MaxPageSize));
        }

        // Null only when neither was given, which is already an error above.
        var partition = agencyId is not null ? CaseIndexEntity.AgencyPartition(agencyId) : query.Status is { } status ? CaseIndexEntity.StatusPartition(status) : null;
        string? storageToken = null;
        if (partition is not null && query.ContinuationToken is not null && (storageToken = ContinuationTokens.Decode(query.ContinuationToken, partition)) is null)
        {
            errors.Add(new ValidationError("$.continuationToken", FieldRules.InvalidId));
        }

        if (errors.Count > 0 || partition is null)
        {
            return new CaseOutcome<CaseListPage>.Invalid(errors);
        }

        var today = JapanTime.Today(clock);
        var activeOn = caller.Role == CallerRole.Member ? today : (DateOnly?)null; // members never see a case their agency left
        var (rows, next) = await caseIndex.PageAsync(partition, query.Status, query.Category, query.ReviewDueBefore, activeOn, query.PageSize, storageToken, cancellationToken);
        var cases = new List<CaseView>();
        // One point read per pointer, side by side: a page costs the same at 100 cases as at 10,000.
        var found = await Task.WhenAll(rows.Select(row => store.GetAsync(row.CaseId, cancellationToken)));
        foreach (var (row, stored) in rows.Zip(found))
        {
            if (stored is null || !StillMatches(stored, row, partition))
            {
                // A pointer left by an interrupted change: the case itself decides, and the pointer goes,
                // but only once no change can still be in flight: a younger one may have been written
                // ahead of a case being saved right now, which would then never be listed.
                if (row.Timestamp is { } written && written < clock.GetUtcNow() - PointerGracePeriod)
                {
                    await caseIndex.RemoveAsync(row.PartitionKey, row.RowKey, cancellationToken);
                }

                continue;
            }

            if (!CaseAccess.CanSee(caller, stored.Record, today) || !Matches(stored.Record, query))
            {
                continue;
            }

            cases.Add(View(caller, stored));
        }

        caller.Audit.Touched(cases.Select(view => view.CaseId));
        return new CaseOutcome<CaseListPage>.Done(new CaseListPage(cases, next is null ? null : ContinuationTokens.Encode(partition, next)));
    }

    private static bool StillMatches(StoredCase stored, CaseIndexEntity row, string partition)
        => CaseIndex.Pointers(stored.CaseId, stored.Record).Contains((partition, row.RowKey));

    private static bool Matches(CaseRecord record, CaseListQuery query)
        => (query.Status is null || record.Status == query.Status)
            && (query.Category is null || record.Category == query.Category)
            && (query.ReviewDueBefore is null || record.NextReviewDate < query.ReviewDueBefore);

    /// <summary>Applies the merge patch, keeps server-managed fields, checks the status change, validates the result.</summary>
    private async Task<(CaseRecord? Changed, IReadOnlyList<ValidationError> Errors, IReadOnlyDictionary<string, Agency>? Directory)> ApplyAsync(CaseRecord current, UpdateCaseRequest request, CancellationToken cancellationToken)
    {
        // Broken text (a lone surrogate) in the patch throws wherever it is first read: refuse it before anything reads it.
        if (JsonText.FirstBrokenPath(request.Changes, "$.changes") is { } broken)
        {
            return (null, [new ValidationError(broken, FieldRules.InvalidText)], null);
        }

        var errors = new ValidationErrors();
        errors.Required("$.reason", request.Reason);
        errors.Text("$.reason", request.Reason, MaxReasonLength, multiline: true);
        if (request.ParticipationException is not null)
        {
            errors.Required("$.participationException", request.ParticipationException);
            errors.Text("$.participationException", request.ParticipationException, MaxReasonLength, multiline: true);
        }
        foreach (var managed in ServerManagedFields.Where(request.Changes.ContainsKey))
        {
            errors.Add("$.changes." + managed, FieldRules.ServerManaged);
        }

        if (errors.Any)
        {
            return (null, errors.All, null);
        }

        CaseRecord changed;
        try
        {
            var merged = JsonMergePatch.Apply(JsonSerializer.SerializeToNode(current, CaseJson.Options), request.Changes);
            changed = merged.Deserialize<CaseRecord>(CaseJson.Options) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            return (null, [new ValidationError("$.changes" + (ex.Path ?? "$").TrimStart('$'), FieldRules.InvalidValue)], null);
        }

        var transition = CheckTransition(current, ref changed);
        if (transition is not null)
        {
            return (null, [transition], null);
        }

        // The merged record's paths are the patch's paths under $.changes.
        var (validationErrors, directory) = await ValidateAsync(changed, cancellationToken);
        return (changed, Under("$.changes", validationErrors), directory);
    }

    /// <summary>
    /// 受理 → 登録 → 終結; 受理 → 終結; a closed case reopens to 受理 or 登録, its closure kept in
    /// <c>previousClosures</c> (the earlier history stays with the case).
    /// </summary>
    private static ValidationError? CheckTransition(CaseRecord current, ref CaseRecord changed)
    {
        var (from, to) = (current.Status, changed.Status);
        var allowed = (from, to) switch
        {
            _ when from == to => true,
            (CaseStatus.Accepted, _) => true,
            (CaseStatus.Registered, CaseStatus.Closed) => true,
            (CaseStatus.Closed, _) => true,
            _ => false,
        };
        if (!allowed)
        {
            return new ValidationError("$.changes.status", FieldRules.InvalidTransition, Transition(CaseIndexEntity.Name(from), to));
        }

        if (from == CaseStatus.Closed && to != CaseStatus.Closed)
        {
            // Reopening keeps the closure as history: the patch may clear it, not rewrite it.
            if (changed.Closure is not null && !JsonNode.DeepEquals(JsonSerializer.SerializeToNode(changed.Closure, CaseJson.Options), JsonSerializer.SerializeToNode(current.Closure, CaseJson.Options)))
            {
                return new ValidationError("$.changes.closure", FieldRules.ServerManaged);
            }

            changed = changed with { Closure = null, PreviousClosures = [.. current.PreviousClosures, current.Closure!] };
        }

        return null;
    }

    private async Task<(IReadOnlyList<ValidationError> Errors, IReadOnlyDictionary<string, Agency> Directory)> ValidateAsync(CaseRecord record, CancellationToken cancellationToken)
    {
        var directory = await agencies.AllAsync(cancellationToken);
        var errors = CaseValidator.Validate(record, JapanTime.Today(clock), directory).ToList();
        if (CaseStore.Serialize(record).Length > RecordChunks.MaxLength)
        {
            errors.Add(new ValidationError("$", FieldRules.TooLong, new Dictionary<string, string> { ["max"] = RecordChunks.MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        }

        return (errors, directory);
    }

    private static void ParticipationExceptionErrors(string? exception, List<ValidationError> errors)
    {
        if (exception is null)
        {
            return;
        }

        var check = new ValidationErrors();
        check.Required("$.participationException", exception);
        check.Text("$.participationException", exception, MaxReasonLength, multiline: true);
        errors.AddRange(check.All);
    }

    private static CaseOutcome<T> NotCouncilMember<T>(string agencyId)
        => new CaseOutcome<T>.Refused(ProblemCatalogue.AgencyNotCouncilMember, CouncilMembershipRefusals.NotCouncilMember, new Dictionary<string, string> { ["agencyId"] = agencyId });

    /// <summary>A coordinator's recorded exception: logged (ids only, never the text) and returned for the version's reason.</summary>
    private string ParticipationException(Caller caller, string caseId, string agencyId, string exception)
    {
        logger.LogInformation("Case {CaseId}: agency {AgencyId} put on the case by {CallerId} as a recorded participation exception", caseId, agencyId, caller.Id);
        return exception;
    }

    /// <summary>Record-relative paths (<c>$.child.birthDate</c>) as the request spells them (<c>$.record.child.birthDate</c>).</summary>
    private static List<ValidationError> Under(string prefix, IEnumerable<ValidationError> errors)
        => errors.Select(error => error with { Field = prefix + error.Field[1..] }).ToList();

    private static string HistoryScope(string caseId) => "history-" + caseId;

    private static ValidationError PageSizeError(int max)
        => new("$.pageSize", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "1", ["max"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    private static Dictionary<string, string> Transition(string from, CaseStatus to)
        => new() { ["from"] = from, ["to"] = CaseIndexEntity.Name(to) };

    private static ChangeAuthor Author(Caller caller) => new(caller.Id, caller.AgencyId);

    private static CaseView View(Caller caller, StoredCase stored, bool breakGlass = false)
        => new(
            stored.CaseId,
            stored.Version,
            stored.CreatedAt,
            stored.ChangedAt,
            !CaseAccess.CanSeeLocation(caller, stored.Record, breakGlass) && stored.Record.Location is not null,
            CaseAccess.ForCaller(caller, stored.Record, breakGlass),
            breakGlass ? true : null);

    /// <summary>The event of the timeline entry a save wrote (participants, status, closure...): the people on the case
    /// are told. It never fails the request (see <see cref="Entries.EntryEvents.SendAsync"/>).</summary>
    private async Task SendChangeAsync(StoredCase saved)
    {
        if (saved.Change is { } change)
        {
            await events.SendAsync(change);
        }
    }
}

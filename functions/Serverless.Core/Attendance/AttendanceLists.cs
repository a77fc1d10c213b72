using Microsoft.Extensions.Logging;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Problems;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Attendance;

/// <summary>
/// The attendance lists (定期的な情報提供の対象児童): a coordinator puts a case's child on the list of the school or
/// nursery that holds them and names the staff who may read that list (not the whole school). The list is a disclosure:
/// every read is audited with the cases it named, and a child leaves it when the case closes or the child moves. Each
/// agency's calendar of closed days (休業日) lives here too, kept by its members.
/// </summary>
public sealed class AttendanceLists(AttendanceStore store, CaseGate gate, CaseStore cases, AgencyDirectory agencies, PeopleDirectory people, TimeProvider clock, ILogger<AttendanceLists> logger)
{
    /// <summary>Names the staff who may read the agency's list (replacing those named before): coordinators only.</summary>
    public async Task<CaseOutcome<AttendanceStaffView>> NameStaffAsync(Caller caller, string agencyId, AttendanceStaffRequest? request, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<AttendanceStaffView>.Forbidden();
        }

        if (await ListingAgencyAsync(agencyId, cancellationToken) is null)
        {
            return new CaseOutcome<AttendanceStaffView>.NotFound();
        }

        if (request is null)
        {
            return new CaseOutcome<AttendanceStaffView>.Unreadable();
        }

        var errors = new ValidationErrors();
        var ids = request.PersonIds ?? [];
        errors.Required("$.personIds", request.PersonIds);
        if (ids.Count > AttendanceLimits.MaxStaff)
        {
            errors.Add("$.personIds", FieldRules.TooMany, Max(AttendanceLimits.MaxStaff));
        }

        var today = JapanTime.Today(clock);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count && i < AttendanceLimits.MaxStaff; i++)
        {
            var field = $"$.personIds[{i}]";
            if (ids[i] is not { } personId || !PersonIds.IsValid(personId))
            {
                errors.Add(field, FieldRules.InvalidId);
                continue;
            }

            if (!seen.Add(personId))
            {
                errors.Add(field, FieldRules.Duplicate);
                continue;
            }

            var (_, memberships) = await people.FindAsync(personId, cancellationToken);
            if (!memberships.Any(membership => membership.AgencyId == agencyId && membership.Role == CallerRole.Member && membership.IsActiveOn(today)))
            {
                errors.Add(field, FieldRules.NotAMember);
            }
        }

        if (errors.Any)
        {
            return new CaseOutcome<AttendanceStaffView>.Invalid(errors.All);
        }

        await store.SaveStaffAsync(agencyId, [.. seen], clock.GetUtcNow(), caller.Id, cancellationToken);
        logger.LogInformation("Attendance list of {AgencyId}: {Count} staff named by {CallerId}", agencyId, seen.Count, caller.Id);
        return new CaseOutcome<AttendanceStaffView>.Done(new AttendanceStaffView(agencyId, [.. seen]));
    }

    /// <summary>The staff named for the list: coordinators and the named staff themselves.</summary>
    public async Task<CaseOutcome<AttendanceStaffView>> StaffAsync(Caller caller, string agencyId, CancellationToken cancellationToken)
    {
        var staff = await store.StaffAsync(agencyId, cancellationToken);
        if (!caller.IsCoordinator && !IsNamedStaff(caller, agencyId, staff))
        {
            return new CaseOutcome<AttendanceStaffView>.Forbidden();
        }

        return await ListingAgencyAsync(agencyId, cancellationToken) is null
            ? new CaseOutcome<AttendanceStaffView>.NotFound()
            : new CaseOutcome<AttendanceStaffView>.Done(new AttendanceStaffView(agencyId, staff));
    }

    /// <summary>
    /// Puts the case's child on the agency's list: coordinators, on a case they may manage, for a school or nursery that
    /// is the case's key agency or takes part in it, while the case is open. Already listed: the same entry (Created false).
    /// </summary>
    public async Task<CaseOutcome<(AttendanceListingView View, bool Created)>> ListCaseAsync(Caller caller, string caseId, AttendanceListingRequest? request, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.Manage, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<(AttendanceListingView, bool)>();
        }

        if (request is null)
        {
            return new CaseOutcome<(AttendanceListingView, bool)>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.agencyId", request.AgencyId);
        var agency = request.AgencyId is { } id ? await agencies.FindAsync(id, cancellationToken) : null;
        var today = JapanTime.Today(clock);
        if (request.AgencyId is not null && agency is null)
        {
            errors.Add("$.agencyId", FieldRules.UnknownAgency);
        }
        else if (agency is not null && !AttendanceEligibility.IsListingKind(agency.Kind))
        {
            errors.Add("$.agencyId", FieldRules.NotForKind);
        }
        else if (agency is not null && open.Record.Status != CaseStatus.Closed && !AttendanceEligibility.MayBeListed(open.Record, agency.AgencyId, today))
        {
            errors.Add("$.agencyId", FieldRules.AgencyNotOnCase);
        }

        if (errors.Any)
        {
            return new CaseOutcome<(AttendanceListingView, bool)>.Invalid(errors.All);
        }

        if (open.Record.Status == CaseStatus.Closed)
        {
            return new CaseOutcome<(AttendanceListingView, bool)>.Refused(ProblemCatalogue.AttendanceCaseClosed);
        }

        if (await store.EntryOfCaseAsync(caseId, agency!.AgencyId, cancellationToken) is { } existing
            && await store.FindEntryAsync(agency.AgencyId, existing, cancellationToken) is { } listed)
        {
            return new CaseOutcome<(AttendanceListingView, bool)>.Done((new AttendanceListingView(listed.EntryId, listed.AgencyId, listed.ListedOn), false));
        }

        var entry = await store.AddEntryAsync(new ListEntry(AttendanceIds.NewEntry(), agency.AgencyId, caseId, today, clock.GetUtcNow(), caller.Id), cancellationToken);
        logger.LogInformation("Case {CaseId} put on the attendance list of {AgencyId} as {EntryId}", caseId, agency.AgencyId, entry.EntryId);
        return new CaseOutcome<(AttendanceListingView, bool)>.Done((new AttendanceListingView(entry.EntryId, entry.AgencyId, entry.ListedOn), true));
    }

    /// <summary>
    /// The list, for the staff named for it and for coordinators: each child by entry id, name and birth date. A child
    /// whose case closed or who moved is not on it (whether or not the change has pruned it yet); a case the caller is
    /// barred from is left out. The cases named go on the audit entry.
    /// </summary>
    public async Task<CaseOutcome<AttendanceListView>> ReadAsync(Caller caller, string agencyId, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator && !IsNamedStaff(caller, agencyId, await store.StaffAsync(agencyId, cancellationToken)))
        {
            return new CaseOutcome<AttendanceListView>.Forbidden();
        }

        if (await ListingAgencyAsync(agencyId, cancellationToken) is null)
        {
            return new CaseOutcome<AttendanceListView>.NotFound();
        }

        var listed = await CurrentAsync(agencyId, cancellationToken);
        var items = new List<AttendanceListItem>();
        var touched = new List<string>();
        foreach (var (entry, record) in listed)
        {
            if (CaseAccess.IsBarred(caller, record))
            {
                caller.Audit.MarkHidden();
                continue;
            }

            touched.Add(entry.CaseId);
            items.Add(new AttendanceListItem(entry.EntryId, Child(record), entry.ListedOn));
        }

        caller.Audit.Touched(touched);
        return new CaseOutcome<AttendanceListView>.Done(new AttendanceListView(agencyId, items));
    }

    /// <summary>The entries still on the list with their cases: a case erased, closed or moved away is left out.</summary>
    public async Task<IReadOnlyList<(ListEntry Entry, CaseRecord Record)>> CurrentAsync(string agencyId, CancellationToken cancellationToken)
    {
        var entries = await store.ListAsync(agencyId, cancellationToken);
        var read = await Task.WhenAll(entries.Select(entry => cases.GetAsync(entry.CaseId, cancellationToken)));
        var today = JapanTime.Today(clock);
        return [.. entries.Zip(read)
            .Where(pair => pair.Second is { } stored && AttendanceEligibility.MayBeListed(stored.Record, agencyId, today))
            .Select(pair => (pair.First, pair.Second!.Record))];
    }

    /// <summary>One entry still on the list, with its case, or null (never listed, erased, closed, moved).</summary>
    public async Task<(ListEntry Entry, CaseRecord Record)?> FindCurrentAsync(string agencyId, string? entryId, CancellationToken cancellationToken)
    {
        if (entryId is null || await store.FindEntryAsync(agencyId, entryId, cancellationToken) is not { } entry)
        {
            return null;
        }

        return await cases.GetAsync(entry.CaseId, cancellationToken) is { } stored && AttendanceEligibility.MayBeListed(stored.Record, agencyId, JapanTime.Today(clock))
            ? (entry, stored.Record)
            : null;
    }

    /// <summary>Sets (replaces) the agency's calendar for a fiscal year: its members, or coordinators.</summary>
    public async Task<CaseOutcome<CalendarView>> SetCalendarAsync(Caller caller, string agencyId, string fiscalYearText, CalendarRequest? request, CancellationToken cancellationToken)
    {
        if (!MayKeepCalendar(caller, agencyId))
        {
            return new CaseOutcome<CalendarView>.Forbidden();
        }

        if (await ListingAgencyAsync(agencyId, cancellationToken) is null)
        {
            return new CaseOutcome<CalendarView>.NotFound();
        }

        if (request is null)
        {
            return new CaseOutcome<CalendarView>.Unreadable();
        }

        var errors = new ValidationErrors();
        if (!TryFiscalYear(fiscalYearText, out var fiscalYear))
        {
            errors.Add("$.fiscalYear", FieldRules.InvalidValue);
            return new CaseOutcome<CalendarView>.Invalid(errors.All);
        }

        var closed = Days("$.closedDays", request.ClosedDays, fiscalYear, weekendsOnly: false, errors);
        var open = Days("$.openDays", request.OpenDays, fiscalYear, weekendsOnly: true, errors);
        foreach (var day in closed.Intersect(open))
        {
            errors.Add("$.openDays", FieldRules.Duplicate);
            break;
        }

        if (errors.Any)
        {
            return new CaseOutcome<CalendarView>.Invalid(errors.All);
        }

        var calendar = new SchoolCalendar(fiscalYear, closed, open);
        await store.SaveCalendarAsync(agencyId, calendar, clock.GetUtcNow(), caller.Id, cancellationToken);
        return new CaseOutcome<CalendarView>.Done(View(agencyId, calendar));
    }

    public async Task<CaseOutcome<CalendarView>> CalendarAsync(Caller caller, string agencyId, string fiscalYearText, CancellationToken cancellationToken)
    {
        if (!MayKeepCalendar(caller, agencyId))
        {
            return new CaseOutcome<CalendarView>.Forbidden();
        }

        if (await ListingAgencyAsync(agencyId, cancellationToken) is null)
        {
            return new CaseOutcome<CalendarView>.NotFound();
        }

        if (!TryFiscalYear(fiscalYearText, out var fiscalYear))
        {
            return new CaseOutcome<CalendarView>.Invalid([new ValidationError("$.fiscalYear", FieldRules.InvalidValue)]);
        }

        return new CaseOutcome<CalendarView>.Done(View(agencyId, await store.CalendarAsync(agencyId, fiscalYear, cancellationToken) ?? SchoolCalendar.Default(fiscalYear)));
    }

    public static bool IsNamedStaff(Caller caller, string agencyId, IReadOnlyList<string> staff)
        => caller.Kind == CallerKind.Person && caller.Role == CallerRole.Member && caller.AgencyId == agencyId && staff.Contains(caller.Id, StringComparer.Ordinal);

    /// <summary>The agency, when it exists and is a kind that holds an attendance list.</summary>
    public async Task<Agency?> ListingAgencyAsync(string agencyId, CancellationToken cancellationToken)
        => await agencies.FindAsync(agencyId, cancellationToken) is { } agency && AttendanceEligibility.IsListingKind(agency.Kind) ? agency : null;

    private static bool MayKeepCalendar(Caller caller, string agencyId)
        => caller.IsCoordinator || (caller.Kind == CallerKind.Person && caller.Role == CallerRole.Member && caller.AgencyId == agencyId);

    private static bool TryFiscalYear(string text, out int fiscalYear)
        => int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out fiscalYear) && fiscalYear is >= 2000 and <= 2100 && text.Length == 4;

    private static HashSet<DateOnly> Days(string field, IReadOnlyList<DateOnly>? days, int fiscalYear, bool weekendsOnly, ValidationErrors errors)
    {
        var set = new HashSet<DateOnly>();
        if (days is null)
        {
            return set;
        }

        if (days.Count > AttendanceLimits.MaxCalendarDays)
        {
            errors.Add(field, FieldRules.TooMany, Max(AttendanceLimits.MaxCalendarDays));
            return set;
        }

        for (var i = 0; i < days.Count; i++)
        {
            var day = days[i];
            if (day < SchoolCalendar.FirstDay(fiscalYear) || day > SchoolCalendar.LastDay(fiscalYear))
            {
                errors.Add($"{field}[{i}]", FieldRules.OutOfRange);
            }
            else if (weekendsOnly && day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                errors.Add($"{field}[{i}]", FieldRules.InvalidValue); // a weekday is a school day unless closed
            }
            else if (!set.Add(day))
            {
                errors.Add($"{field}[{i}]", FieldRules.Duplicate);
            }
        }

        return set;
    }

    private static CalendarView View(string agencyId, SchoolCalendar calendar)
        => new(agencyId, calendar.FiscalYear, [.. calendar.ClosedDays.Order()], [.. calendar.OpenDays.Order()], "weekends-closed-unless-open");

    private static AttendanceChild Child(CaseRecord record)
    {
        var name = record.Child?.Name;
        return new AttendanceChild(name?.Family, name?.Given, name?.FamilyKana, name?.GivenKana, name?.LatinName, record.Child?.BirthDate);
    }

    private static Dictionary<string, string> Max(int max) => new() { ["max"] = max.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

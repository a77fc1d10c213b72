using System.Globalization;
using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Attendance;

/// <summary>
/// The monthly attendance reports (定期的な情報提供) and the mid-month absence notices. Sent by the agency's form (its
/// submission key) or by the staff named for its list, against the list's opaque entry ids; read by the named staff and
/// coordinators. A month's report is one bulk request, validated row by row (every error names its row), and
/// idempotent per agency and month: a resubmission replaces it and the earlier one stays as a version. After each
/// write the 7-day rule is checked (see <see cref="AbsenceRuns"/> and <see cref="AttendanceAlerts"/>).
/// </summary>
public sealed class AttendanceReports(AttendanceStore store, AttendanceLists lists, AttendanceAlerts alerts, TimeProvider clock, ILogger<AttendanceReports> logger)
{
    public async Task<CaseOutcome<MonthlyReportReceipt>> SubmitMonthAsync(Caller caller, string agencyId, string monthText, MonthlyReportRequest? request, CancellationToken cancellationToken)
    {
        if (await RefuseSenderAsync(caller, agencyId, cancellationToken) is { } refused)
        {
            return refused.As<MonthlyReportReceipt>();
        }

        if (request is null)
        {
            return new CaseOutcome<MonthlyReportReceipt>.Unreadable();
        }

        var today = JapanTime.Today(clock);
        if (!TryMonth(monthText, out var first) || first > today)
        {
            return new CaseOutcome<MonthlyReportReceipt>.Invalid([new ValidationError("$.month", FieldRules.InvalidValue)]);
        }

        var month = AttendanceStore.Month(first);
        var current = (await lists.CurrentAsync(agencyId, cancellationToken)).ToDictionary(pair => pair.Entry.EntryId, pair => pair.Entry, StringComparer.Ordinal);
        var errors = new ValidationErrors();
        var rows = Validate(request, first, current, errors);
        if (errors.Any)
        {
            return new CaseOutcome<MonthlyReportReceipt>.Invalid(errors.All);
        }

        var (head, etag) = await store.HeadAsync(agencyId, month, cancellationToken);
        var version = (head?.Version ?? 0) + 1;
        var newHead = new ReportHead(version, clock.GetUtcNow(), caller.Kind == CallerKind.SubmissionKey ? "key" : "person", caller.Id, rows.Count);
        if (!await store.SaveReportAsync(agencyId, month, newHead, etag, [.. rows.Select(row => (row, current[row.EntryId].CaseId))], cancellationToken))
        {
            return new CaseOutcome<MonthlyReportReceipt>.Refused(ProblemCatalogue.Conflict);
        }

        // Children the earlier version reported and this one does not: their days from the report go.
        if (head is not null)
        {
            foreach (var gone in (await store.ReportRowsAsync(agencyId, month, head.Version, cancellationToken)).Where(old => rows.All(row => row.EntryId != old.EntryId)))
            {
                if (current.TryGetValue(gone.EntryId, out var listed))
                {
                    await store.ChangeAbsencesAsync(gone.EntryId, listed.CaseId, month, absences => absences with { Reported = [] }, cancellationToken);
                }
            }
        }

        var raised = 0;
        foreach (var row in rows)
        {
            var listed = current[row.EntryId];
            var absences = await store.ChangeAbsencesAsync(row.EntryId, listed.CaseId, month, stored => stored with { Reported = row.AbsentDates }, cancellationToken);
            raised += await CheckRuleAsync(listed, first, absences, row.LongestAbsenceRun, reasonGiven: null, caller, cancellationToken) ? 1 : 0;
        }

        logger.LogInformation("Attendance report of {AgencyId} for {Month}: version {Version}, {Rows} rows, {Alerts} alerts", agencyId, month, version, rows.Count, raised);
        return new CaseOutcome<MonthlyReportReceipt>.Done(new MonthlyReportReceipt(agencyId, month, version, rows.Count, raised, head is not null));
    }

    public async Task<CaseOutcome<MonthlyReportView>> ReadMonthAsync(Caller caller, string agencyId, string monthText, string? versionText, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator && !AttendanceLists.IsNamedStaff(caller, agencyId, await store.StaffAsync(agencyId, cancellationToken)))
        {
            return new CaseOutcome<MonthlyReportView>.Forbidden();
        }

        var errors = new List<ValidationError>();
        if (!TryMonth(monthText, out var first))
        {
            errors.Add(new ValidationError("$.month", FieldRules.InvalidValue));
        }

        int? version = null;
        if (!string.IsNullOrEmpty(versionText))
        {
            if (int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) && asked is >= 1 and <= 9999)
            {
                version = asked;
            }
            else
            {
                errors.Add(new ValidationError("$.version", FieldRules.InvalidValue));
            }
        }

        if (errors.Count > 0)
        {
            return new CaseOutcome<MonthlyReportView>.Invalid(errors);
        }

        var month = AttendanceStore.Month(first);
        var (head, _) = await store.HeadAsync(agencyId, month, cancellationToken);
        if (head is null || version > head.Version || await lists.ListingAgencyAsync(agencyId, cancellationToken) is null)
        {
            return new CaseOutcome<MonthlyReportView>.NotFound();
        }

        var shown = version is { } earlier && earlier != head.Version ? await store.VersionHeadAsync(agencyId, month, earlier, cancellationToken) ?? head : head;
        var rows = await store.ReportRowsAsync(agencyId, month, shown.Version, cancellationToken);
        return new CaseOutcome<MonthlyReportView>.Done(new MonthlyReportView(agencyId, month, shown.Version, head.Version, JapanTime.ToJapan(shown.SubmittedAt), rows));
    }

    /// <summary>A child absent now: the dates (each a school day or not: the calendar decides), recorded with the month's
    /// absences; the rule is checked over the run they belong to.</summary>
    public async Task<CaseOutcome<AbsenceNoticeReceipt>> NoticeAsync(Caller caller, string agencyId, AbsenceNoticeRequest? request, CancellationToken cancellationToken)
    {
        if (await RefuseSenderAsync(caller, agencyId, cancellationToken) is { } refused)
        {
            return refused.As<AbsenceNoticeReceipt>();
        }

        if (request is null)
        {
            return new CaseOutcome<AbsenceNoticeReceipt>.Unreadable();
        }

        var today = JapanTime.Today(clock);
        var errors = new ValidationErrors();
        errors.Required("$.entryId", request.EntryId);
        errors.Required("$.dates", request.Dates);
        errors.Text("$.notes", request.Notes, AttendanceLimits.MaxNotesLength, multiline: true);
        var dates = request.Dates ?? [];
        if (request.Dates is { Count: 0 })
        {
            errors.Add("$.dates", FieldRules.Required);
        }

        if (dates.Count > AttendanceLimits.MaxNoticeDates)
        {
            errors.Add("$.dates", FieldRules.TooMany, new Dictionary<string, string> { ["max"] = AttendanceLimits.MaxNoticeDates.ToString(CultureInfo.InvariantCulture) });
        }

        for (var i = 0; i < dates.Count && i < AttendanceLimits.MaxNoticeDates; i++)
        {
            if (dates[i] > today)
            {
                errors.Add($"$.dates[{i}]", FieldRules.FutureDate);
            }
            else if (dates[i] < today.AddDays(-AttendanceLimits.MaxNoticeAgeDays))
            {
                errors.Add($"$.dates[{i}]", FieldRules.OutOfRange);
            }
            else if (dates.Take(i).Contains(dates[i]))
            {
                errors.Add($"$.dates[{i}]", FieldRules.Duplicate);
            }
        }

        var found = request.EntryId is { } entryId ? await lists.FindCurrentAsync(agencyId, entryId, cancellationToken) : null;
        if (request.EntryId is not null && found is null)
        {
            errors.Add("$.entryId", FieldRules.NotOnList);
        }

        if (errors.Any)
        {
            return new CaseOutcome<AbsenceNoticeReceipt>.Invalid(errors.All);
        }

        var listed = found!.Value.Entry;
        var latest = dates.Max();
        MonthAbsences? latestMonth = null;
        foreach (var group in dates.GroupBy(AttendanceStore.Month))
        {
            var changed = await store.ChangeAbsencesAsync(listed.EntryId, listed.CaseId, group.Key, stored => stored with { Noticed = [.. stored.Noticed.Union(group).Order()] }, cancellationToken);
            if (group.Contains(latest))
            {
                latestMonth = changed;
            }
        }

        var monthStart = new DateOnly(latest.Year, latest.Month, 1);
        var raised = await CheckRuleAsync(listed, monthStart, latestMonth!, reportedRun: 0, request.ReasonGiven, caller, cancellationToken);
        var (days, calendars) = await AbsentDaysAroundAsync(listed, monthStart, latestMonth!, cancellationToken);
        var run = AbsenceRuns.Of(days, calendars).Where(candidate => candidate.First <= latest && latest <= candidate.Last).Select(candidate => candidate.SchoolDays).FirstOrDefault();
        logger.LogInformation("Absence notice for {EntryId} from {AgencyId}: run of {SchoolDays} school days", listed.EntryId, agencyId, run);
        return new CaseOutcome<AbsenceNoticeReceipt>.Done(new AbsenceNoticeReceipt(listed.EntryId, run, raised));
    }

    /// <summary>
    /// The rule over the month and its neighbours (a run crosses month ends): each run of 7 or more school days raises its
    /// alert once, keyed by its first school day; a row whose own count reaches 7 when the dates do not (the agency knows
    /// better) raises one keyed by the month.
    /// </summary>
    private async Task<bool> CheckRuleAsync(ListEntry listed, DateOnly monthStart, MonthAbsences month, int reportedRun, bool? reasonGiven, Caller caller, CancellationToken cancellationToken)
    {
        var (days, calendars) = await AbsentDaysAroundAsync(listed, monthStart, month, cancellationToken);
        var monthEnd = monthStart.AddMonths(1).AddDays(-1);
        var raised = false;
        var runs = AbsenceRuns.Of(days, calendars).Where(run => run.SchoolDays >= AttendanceLimits.AlertRun && run.Last >= monthStart && run.First <= monthEnd).ToList();
        foreach (var run in runs)
        {
            raised |= await alerts.RaiseAsync(listed, run.First.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), run, reportedRun, AttendanceStore.Month(monthStart), reasonGiven, caller, cancellationToken);
        }

        if (runs.Count == 0 && reportedRun >= AttendanceLimits.AlertRun)
        {
            raised |= await alerts.RaiseAsync(listed, "month-" + AttendanceStore.Month(monthStart), null, reportedRun, AttendanceStore.Month(monthStart), reasonGiven, caller, cancellationToken);
        }

        return raised;
    }

    private async Task<(IReadOnlyList<DateOnly> Days, SchoolCalendars Calendars)> AbsentDaysAroundAsync(ListEntry listed, DateOnly monthStart, MonthAbsences month, CancellationToken cancellationToken)
    {
        var before = await store.AbsencesAsync(listed.EntryId, AttendanceStore.Month(monthStart.AddMonths(-1)), cancellationToken);
        var after = await store.AbsencesAsync(listed.EntryId, AttendanceStore.Month(monthStart.AddMonths(1)), cancellationToken);
        var days = new[] { before, month, after }.SelectMany(absences => absences.Reported.Concat(absences.Noticed)).Distinct().Order().ToList();
        var span = days.Count == 0 ? [] : new[] { days[0], days[^1] };
        return (days, await store.CalendarsAsync(listed.AgencyId, span, cancellationToken));
    }

    /// <summary>Only the agency's own form or the staff named for its list send; an agency without a list is missing.</summary>
    private async Task<CaseOutcome<bool>?> RefuseSenderAsync(Caller caller, string agencyId, CancellationToken cancellationToken)
    {
        var isKey = caller.Kind == CallerKind.SubmissionKey && caller.AgencyId == agencyId;
        if (!isKey && !AttendanceLists.IsNamedStaff(caller, agencyId, await store.StaffAsync(agencyId, cancellationToken)))
        {
            return new CaseOutcome<bool>.Forbidden();
        }

        return await lists.ListingAgencyAsync(agencyId, cancellationToken) is null ? new CaseOutcome<bool>.NotFound() : null;
    }

    private static List<AttendanceRow> Validate(MonthlyReportRequest request, DateOnly first, IReadOnlyDictionary<string, ListEntry> current, ValidationErrors errors)
    {
        var rows = new List<AttendanceRow>();
        errors.Required("$.rows", request.Rows);
        var inputs = request.Rows ?? [];
        if (inputs.Count > AttendanceLimits.MaxRows)
        {
            errors.Add("$.rows", FieldRules.TooMany, new Dictionary<string, string> { ["max"] = AttendanceLimits.MaxRows.ToString(CultureInfo.InvariantCulture) });
            return rows;
        }

        var daysInMonth = DateTime.DaysInMonth(first.Year, first.Month);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            var rowErrors = new ValidationErrors();
            var at = $"$.rows[{i}]";
            if (inputs[i] is not { } input)
            {
                rowErrors.Add(at, FieldRules.Required);
                errors.AddRow(i, rowErrors);
                continue;
            }

            rowErrors.Required(at + ".entryId", input.EntryId);
            if (input.EntryId is { } entryId)
            {
                if (!current.ContainsKey(entryId))
                {
                    rowErrors.Add(at + ".entryId", FieldRules.NotOnList);
                }
                else if (!seen.Add(entryId))
                {
                    rowErrors.Add(at + ".entryId", FieldRules.Duplicate);
                }
            }

            Count(rowErrors, at + ".attendedDays", input.AttendedDays, daysInMonth);
            Count(rowErrors, at + ".absentWithReason", input.AbsentWithReason, daysInMonth);
            Count(rowErrors, at + ".absentWithoutReason", input.AbsentWithoutReason, daysInMonth);
            Count(rowErrors, at + ".longestAbsenceRun", input.LongestAbsenceRun, daysInMonth);
            rowErrors.Text(at + ".notes", input.Notes, AttendanceLimits.MaxNotesLength, multiline: true);
            var absent = (input.AbsentWithReason ?? 0) + (input.AbsentWithoutReason ?? 0);
            if ((input.AttendedDays ?? 0) + absent > daysInMonth)
            {
                rowErrors.Add(at + ".attendedDays", FieldRules.OutOfRange);
            }

            if (input.LongestAbsenceRun > absent)
            {
                rowErrors.Add(at + ".longestAbsenceRun", FieldRules.CountMismatch);
            }

            var dates = input.AbsentDates ?? [];
            if (dates.Count != absent)
            {
                rowErrors.Add(at + ".absentDates", FieldRules.CountMismatch);
            }

            for (var d = 0; d < dates.Count && d <= daysInMonth; d++)
            {
                if (dates[d].Year != first.Year || dates[d].Month != first.Month)
                {
                    rowErrors.Add($"{at}.absentDates[{d}]", FieldRules.NotInMonth);
                }
                else if (dates.Take(d).Contains(dates[d]))
                {
                    rowErrors.Add($"{at}.absentDates[{d}]", FieldRules.Duplicate);
                }
            }

            if (rowErrors.Any)
            {
                errors.AddRow(i, rowErrors);
                continue;
            }

            rows.Add(new AttendanceRow(input.EntryId!, input.AttendedDays!.Value, input.AbsentWithReason!.Value, input.AbsentWithoutReason!.Value, input.LongestAbsenceRun!.Value, [.. dates.Order()], string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim()));
        }

        return rows;
    }

    private static void Count(ValidationErrors errors, string field, int? value, int max)
    {
        errors.Required(field, value);
        if (value is < 0 || value > max)
        {
            errors.Add(field, FieldRules.OutOfRange);
        }
    }

    private static bool TryMonth(string text, out DateOnly first)
        => DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out first) && first.Year is >= 2000 and <= 2100;
}

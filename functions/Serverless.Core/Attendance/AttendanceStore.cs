using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Storage;

namespace Serverless.Attendance;

/// <summary>A child on an agency's list: the opaque entry id and the case behind it (never shown to the agency).</summary>
public sealed record ListEntry(string EntryId, string AgencyId, string CaseId, DateOnly ListedOn, DateTimeOffset ListedAt, string ListedBy);

/// <summary>A stored version of a month's report (the head: no case data).</summary>
public sealed record ReportHead(int Version, DateTimeOffset SubmittedAt, string SubmitterKind, string SubmitterId, int Rows);

/// <summary>One child's absent days in one month: from the month's current report, and from the mid-month notices.</summary>
public sealed record MonthAbsences(IReadOnlyList<DateOnly> Reported, IReadOnlyList<DateOnly> Noticed);

/// <summary>A 7-day alert raised for one run (recorded before the timeline entry and the notifications).</summary>
public sealed record RaisedAlert(string TimelineEntryId, DateTimeOffset RaisedAt, int SchoolDays, DateOnly? First = null, DateOnly? Last = null);

/// <summary>
/// The Attendance table. Partitions: <c>list|{agencyId}</c> (the list, one row per entry), <c>case|{caseId}</c> (which
/// lists the case is on), <c>staff</c> (one row per agency), <c>calendar|{agencyId}</c> (one row per fiscal year),
/// <c>report|{agencyId}|{yyyy-MM}</c> (the head and every version's rows: <c>v0001|{entryId}</c>),
/// <c>absence|{entryId}</c> (one row per month), <c>alert|{entryId}</c> (one row per run alerted) and
/// <c>reminder|{yyyy-MM}</c> (one row per agency and stage). Each common read is one partition query or one point read.
/// </summary>
public sealed class AttendanceStore(StorageClients clients, StorageNames names)
{
    public const string TableName = "Attendance";
    public const string HeadRow = "head";

    public TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    // ---- the list ----

    public async Task<IReadOnlyList<ListEntry>> ListAsync(string agencyId, CancellationToken cancellationToken)
    {
        var entries = new List<ListEntry>();
        await foreach (var row in Table.QueryAsync<AttendanceEntity>(entity => entity.PartitionKey == ListPartition(agencyId), cancellationToken: cancellationToken))
        {
            entries.Add(ToEntry(agencyId, row));
        }

        return [.. entries.OrderBy(entry => entry.ListedAt).ThenBy(entry => entry.EntryId, StringComparer.Ordinal)];
    }

    public async Task<ListEntry?> FindEntryAsync(string agencyId, string entryId, CancellationToken cancellationToken)
    {
        if (!AttendanceIds.IsEntry(entryId))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<AttendanceEntity>(ListPartition(agencyId), entryId, cancellationToken: cancellationToken);
        return row.HasValue ? ToEntry(agencyId, row.Value!) : null;
    }

    /// <summary>The entry of the case on the agency's list, if it is on it.</summary>
    public async Task<string?> EntryOfCaseAsync(string caseId, string agencyId, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<AttendanceEntity>(CasePartition(caseId), agencyId, cancellationToken: cancellationToken);
        return row.HasValue ? Read<string>(row.Value!) : null;
    }

    /// <summary>Puts the case on the list: the case's pointer first (it is what a second attempt finds), then the entry.</summary>
    public async Task<ListEntry> AddEntryAsync(ListEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(Row(CasePartition(entry.CaseId), entry.AgencyId, entry.CaseId, entry.EntryId), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // listed already (or a concurrent attempt): the pointer's entry is the one
            var existing = await EntryOfCaseAsync(entry.CaseId, entry.AgencyId, cancellationToken);
            entry = entry with { EntryId = existing! };
        }

        await Table.UpsertEntityAsync(Row(ListPartition(entry.AgencyId), entry.EntryId, entry.CaseId, new ListEntryData(entry.ListedOn, entry.ListedAt, entry.ListedBy)), TableUpdateMode.Replace, cancellationToken);
        return (await FindEntryAsync(entry.AgencyId, entry.EntryId, cancellationToken))!;
    }

    /// <summary>Takes the case off every list whose agency may no longer have it (the case closed, the child moved):
    /// the entry first (it is what the lists read), then the pointer. Idempotent.</summary>
    public async Task<int> PruneAsync(string caseId, CaseRecord record, DateOnly today, CancellationToken cancellationToken)
    {
        var removed = 0;
        await foreach (var pointer in Table.QueryAsync<AttendanceEntity>(entity => entity.PartitionKey == CasePartition(caseId), cancellationToken: cancellationToken))
        {
            if (AttendanceEligibility.MayBeListed(record, pointer.RowKey, today))
            {
                continue;
            }

            await DeleteAsync(ListPartition(pointer.RowKey), Read<string>(pointer)!, cancellationToken);
            await DeleteAsync(pointer.PartitionKey, pointer.RowKey, cancellationToken);
            removed++;
        }

        return removed;
    }

    // ---- staff and calendars ----

    public async Task<IReadOnlyList<string>> StaffAsync(string agencyId, CancellationToken cancellationToken)
    {
        // A path's agency id is the caller's text: one that is not an id never becomes a key (storage logs request URLs).
        if (!AgencyIds.IsValid(agencyId))
        {
            return [];
        }

        var row = await Table.GetEntityIfExistsAsync<AttendanceEntity>(StaffPartition, agencyId, cancellationToken: cancellationToken);
        return row.HasValue ? Read<StaffData>(row.Value!)!.PersonIds : [];
    }

    public Task SaveStaffAsync(string agencyId, IReadOnlyList<string> personIds, DateTimeOffset at, string by, CancellationToken cancellationToken)
        => Table.UpsertEntityAsync(Row(StaffPartition, agencyId, null, new StaffData(personIds, at, by)), TableUpdateMode.Replace, cancellationToken);

    public async Task<SchoolCalendar?> CalendarAsync(string agencyId, int fiscalYear, CancellationToken cancellationToken)
    {
        if (!AgencyIds.IsValid(agencyId))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<AttendanceEntity>(CalendarPartition(agencyId), Year(fiscalYear), cancellationToken: cancellationToken);
        return row.HasValue ? ToCalendar(fiscalYear, Read<CalendarData>(row.Value!)!) : null;
    }

    /// <summary>The calendars of the fiscal years the given days fall in (a missing year is the default).</summary>
    public async Task<SchoolCalendars> CalendarsAsync(string agencyId, IEnumerable<DateOnly> days, CancellationToken cancellationToken)
    {
        var years = days.Select(SchoolCalendar.FiscalYearOf).Distinct().ToList();
        var found = await Task.WhenAll(years.Select(year => CalendarAsync(agencyId, year, cancellationToken)));
        return new SchoolCalendars(found.OfType<SchoolCalendar>().ToDictionary(calendar => calendar.FiscalYear));
    }

    public Task SaveCalendarAsync(string agencyId, SchoolCalendar calendar, DateTimeOffset at, string by, CancellationToken cancellationToken)
        => Table.UpsertEntityAsync(
            Row(CalendarPartition(agencyId), Year(calendar.FiscalYear), null, new CalendarData([.. calendar.ClosedDays.Order()], [.. calendar.OpenDays.Order()], at, by)),
            TableUpdateMode.Replace,
            cancellationToken);

    // ---- monthly reports ----

    public async Task<(ReportHead? Head, ETag ETag)> HeadAsync(string agencyId, string month, CancellationToken cancellationToken)
    {
        if (!AgencyIds.IsValid(agencyId))
        {
            return (null, default);
        }

        var row = await Table.GetEntityIfExistsAsync<AttendanceEntity>(ReportPartition(agencyId, month), HeadRow, cancellationToken: cancellationToken);
        return row.HasValue ? (Read<ReportHead>(row.Value!), row.Value!.ETag) : (null, default);
    }

    /// <summary>
    /// Stores version <paramref name="head"/>.Version of the month's report: any rows an interrupted attempt left under
    /// that version go, the rows are written, and only then the head moves to the version (with the ETag read before:
    /// false when another submission won). Earlier versions stay, as the report's history.
    /// </summary>
    public async Task<bool> SaveReportAsync(string agencyId, string month, ReportHead head, ETag basedOn, IReadOnlyList<(AttendanceRow Row, string CaseId)> rows, CancellationToken cancellationToken)
    {
        var partition = ReportPartition(agencyId, month);
        var prefix = VersionPrefix(head.Version);
        await foreach (var stale in Table.QueryAsync<AttendanceEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix + "~"}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await DeleteAsync(stale.PartitionKey, stale.RowKey, cancellationToken);
        }

        foreach (var chunk in rows.Chunk(100))
        {
            await Table.SubmitTransactionAsync(
                chunk.Select(item => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Row(partition, prefix + item.Row.EntryId, item.CaseId, item.Row))),
                cancellationToken);
        }

        await Table.UpsertEntityAsync(Row(partition, VersionHead(head.Version), null, head), TableUpdateMode.Replace, cancellationToken);
        var headRow = Row(partition, HeadRow, null, head);
        try
        {
            if (head.Version == 1)
            {
                await Table.AddEntityAsync(headRow, cancellationToken);
            }
            else
            {
                await Table.UpdateEntityAsync(headRow, basedOn, TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    /// <summary>What an earlier version's head said (when and by whom it was sent).</summary>
    public async Task<ReportHead?> VersionHeadAsync(string agencyId, string month, int version, CancellationToken cancellationToken)
    {
        if (!AgencyIds.IsValid(agencyId))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<AttendanceEntity>(ReportPartition(agencyId, month), VersionHead(version), cancellationToken: cancellationToken);
        return row.HasValue ? Read<ReportHead>(row.Value!) : null;
    }

    public async Task<IReadOnlyList<AttendanceRow>> ReportRowsAsync(string agencyId, string month, int version, CancellationToken cancellationToken)
    {
        var partition = ReportPartition(agencyId, month);
        var prefix = VersionPrefix(version);
        var rows = new List<AttendanceRow>();
        await foreach (var row in Table.QueryAsync<AttendanceEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {prefix} and RowKey lt {prefix + "~"}"), cancellationToken: cancellationToken))
        {
            rows.Add(Read<AttendanceRow>(row)!);
        }

        return rows;
    }

    // ---- absences and alerts ----

    public async Task<MonthAbsences> AbsencesAsync(string entryId, string month, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<AttendanceEntity>(AbsencePartition(entryId), month, cancellationToken: cancellationToken);
        return row.HasValue ? Read<MonthAbsences>(row.Value!)! : new MonthAbsences([], []);
    }

    /// <summary>Changes one child's absences for one month (read, change, write with the ETag; retried when another write won).</summary>
    public async Task<MonthAbsences> ChangeAbsencesAsync(string entryId, string caseId, string month, Func<MonthAbsences, MonthAbsences> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var row = await Table.GetEntityIfExistsAsync<AttendanceEntity>(AbsencePartition(entryId), month, cancellationToken: cancellationToken);
            var current = row.HasValue ? Read<MonthAbsences>(row.Value!)! : new MonthAbsences([], []);
            var changed = change(current);
            var entity = Row(AbsencePartition(entryId), month, caseId, changed);
            try
            {
                if (row.HasValue)
                {
                    await Table.UpdateEntityAsync(entity, row.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                else
                {
                    await Table.AddEntityAsync(entity, cancellationToken);
                }

                return changed;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < 5)
            {
                // another notice for the same child and month won: read again
            }
        }
    }

    /// <summary>Records the alert of one run; false when it was recorded before (nothing is raised twice).</summary>
    public async Task<RaisedAlert> RecordAlertAsync(string entryId, string caseId, string runKey, RaisedAlert alert, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(Row(AlertPartition(entryId), runKey, caseId, alert), cancellationToken);
            return alert;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var row = await Table.GetEntityAsync<AttendanceEntity>(AlertPartition(entryId), runKey, cancellationToken: cancellationToken);
            return Read<RaisedAlert>(row.Value)!;
        }
    }

    public async Task<bool> AlertExistsAsync(string entryId, string runKey, CancellationToken cancellationToken)
        => (await Table.GetEntityIfExistsAsync<AttendanceEntity>(AlertPartition(entryId), runKey, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;

    // ---- reminders ----

    /// <summary>Records that the reminder of <paramref name="stage"/> for the agency's month went out; false when it had.</summary>
    public async Task<bool> RecordReminderAsync(string month, string agencyId, string stage, DateTimeOffset at, CancellationToken cancellationToken)
    {
        try
        {
            await Table.AddEntityAsync(Row("reminder|" + month, agencyId + "|" + stage, null, new ReminderData(at)), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    public async Task<bool> ReminderSentAsync(string month, string agencyId, string stage, CancellationToken cancellationToken)
        => (await Table.GetEntityIfExistsAsync<AttendanceEntity>("reminder|" + month, agencyId + "|" + stage, select: ["RowKey"], cancellationToken: cancellationToken)).HasValue;

    /// <summary>The agencies that have a list (a list partition with at least one entry): one query over the list partitions.</summary>
    public async Task<IReadOnlyList<ListEntry>> AllEntriesAsync(CancellationToken cancellationToken)
    {
        var entries = new List<ListEntry>();
        await foreach (var row in Table.QueryAsync<AttendanceEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {"list|"} and PartitionKey lt {"list|~"}"), cancellationToken: cancellationToken))
        {
            entries.Add(ToEntry(row.PartitionKey["list|".Length..], row));
        }

        return entries;
    }

    public static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string ListPartition(string agencyId) => "list|" + agencyId;

    private static string CasePartition(string caseId) => "case|" + caseId;

    private const string StaffPartition = "staff";

    private static string CalendarPartition(string agencyId) => "calendar|" + agencyId;

    private static string ReportPartition(string agencyId, string month) => "report|" + agencyId + "|" + month;

    private static string AbsencePartition(string entryId) => "absence|" + entryId;

    private static string AlertPartition(string entryId) => "alert|" + entryId;

    private static string VersionPrefix(int version) => "v" + version.ToString("D4", CultureInfo.InvariantCulture) + "|";

    private static string VersionHead(int version) => "h" + version.ToString("D4", CultureInfo.InvariantCulture);

    private static string Year(int fiscalYear) => fiscalYear.ToString(CultureInfo.InvariantCulture);

    private static AttendanceEntity Row<T>(string partition, string row, string? caseId, T data)
        => new() { PartitionKey = partition, RowKey = row, CaseId = caseId, Data = JsonSerializer.Serialize(data, CaseJson.Options) };

    private static T? Read<T>(AttendanceEntity row) => JsonSerializer.Deserialize<T>(row.Data, CaseJson.Options);

    private static ListEntry ToEntry(string agencyId, AttendanceEntity row)
    {
        var data = Read<ListEntryData>(row)!;
        return new ListEntry(row.RowKey, agencyId, row.CaseId!, data.ListedOn, data.ListedAt, data.ListedBy);
    }

    private static SchoolCalendar ToCalendar(int fiscalYear, CalendarData data)
        => new(fiscalYear, data.ClosedDays.ToHashSet(), data.OpenDays.ToHashSet());

    private async Task DeleteAsync(string partition, string row, CancellationToken cancellationToken)
    {
        try
        {
            await Table.DeleteEntityAsync(partition, row, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // gone already
        }
    }

    private sealed record ListEntryData(DateOnly ListedOn, DateTimeOffset ListedAt, string ListedBy);

    private sealed record StaffData(IReadOnlyList<string> PersonIds, DateTimeOffset At, string By);

    private sealed record CalendarData(IReadOnlyList<DateOnly> ClosedDays, IReadOnlyList<DateOnly> OpenDays, DateTimeOffset At, string By);

    private sealed record ReminderData(DateTimeOffset At);
}

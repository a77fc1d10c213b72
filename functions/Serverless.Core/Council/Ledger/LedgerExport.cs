using System.Globalization;
using Serverless.Agencies;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Council.Meetings;
using Serverless.Exports;
using Serverless.Identity;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Council.Ledger;

public enum LedgerFormat
{
    Xlsx,
    Csv,
}

/// <summary><c>GET /api/ledger/export</c>: the ledger as the meeting takes it (the same filters as the ledger).</summary>
public sealed record LedgerExportQuery(string? MeetingId, LedgerFormat? Format, CaseStatus? Status, string? AgencyId, DateOnly? ReviewDueBefore);

/// <summary>A numbered copy of the ledger, ready to download.</summary>
public sealed record LedgerFile(byte[] Content, string ContentType, string FileName, long CopyNumber);

/// <summary>
/// The ledger exported for a meeting (xlsx or CSV), coordinators only. Every export is a numbered copy (写し番号, one
/// sequence per council, <see cref="LedgerCopies"/>): the number is in every row and in a last line that names the
/// meeting, in the sheet's and the file's names, in the copy's own record, and in the audit entry with the meeting, so a
/// copy left on a table can be traced to who took it. The rows are the ledger's, read a page at a time through
/// <see cref="LedgerService"/> (each case as the coordinator may see it; every case listed is audited as touched).
/// </summary>
public sealed class LedgerExport(LedgerService ledger, MeetingService meetings, LedgerCopies copies, AgencyDirectory agencies, TimeProvider clock)
{
    public const string SheetName = "進行管理台帳";

    public static readonly IReadOnlyList<string> Header =
        ["写し番号", "ケースID", "氏名", "分類", "状態", "リスク", "緊急度", "主担当機関", "主たる支援機関", "前回の進行管理", "前回の会議", "次回の進行管理予定日", "超過日数", "最終の動き"];

    public async Task<CaseOutcome<LedgerFile>> ExportAsync(Caller caller, LedgerExportQuery query, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<LedgerFile>.Forbidden();
        }

        var errors = new ValidationErrors();
        errors.Required("$.meetingId", query.MeetingId);
        errors.Required("$.format", query.Format);
        if (errors.Any)
        {
            return new CaseOutcome<LedgerFile>.Invalid(errors.All);
        }

        if (await meetings.GetAsync(caller, query.MeetingId!, cancellationToken) is not CaseOutcome<MeetingView>.Done { Value: var meeting })
        {
            return new CaseOutcome<LedgerFile>.NotFound();
        }

        var rows = new List<LedgerRow>();
        string? token = null;
        do
        {
            var page = await ledger.PageAsync(caller, new LedgerQuery(query.Status, query.AgencyId, query.ReviewDueBefore, LedgerQuery.MaxPageSize, token), cancellationToken);
            if (page is not CaseOutcome<LedgerPage>.Done { Value: var done })
            {
                return page.As<LedgerFile>();
            }

            rows.AddRange(done.Cases);
            token = done.ContinuationToken;
        }
        while (token is not null);

        var format = query.Format!.Value;
        var now = clock.GetUtcNow();
        var copy = await copies.TakeAsync(meeting.MeetingId, caller.Id, now, format.ToString().ToLowerInvariant(), rows.Count, cancellationToken);
        caller.Audit.Targeted(new AuditTarget(MeetingId: meeting.MeetingId, CopyNumber: copy.Number));
        var sheet = Sheet(copy.Number, meeting, rows, await agencies.AllAsync(cancellationToken), JapanTime.ToJapan(now));
        var name = $"{SheetName}_写し{copy.Number.ToString(CultureInfo.InvariantCulture)}";
        return new CaseOutcome<LedgerFile>.Done(format == LedgerFormat.Xlsx
            ? new LedgerFile(XlsxExport.Write(sheet), XlsxExport.ContentType, name + XlsxExport.Extension, copy.Number)
            : new LedgerFile(CsvExport.Write(sheet), CsvExport.ContentType, name + CsvExport.Extension, copy.Number));
    }

    /// <summary>The last line: which copy, for which meeting, when.</summary>
    public static string Footer(long number, MeetingView meeting, DateTimeOffset at)
        => string.Create(CultureInfo.InvariantCulture, $"写し番号 {number}：{meeting.Title}（{MeetingService.KindName(meeting.Kind)} {meeting.Date:yyyy-MM-dd}）のため {at:yyyy/MM/dd HH:mm} に出力。会議の後は回収して廃棄すること。");

    private static ExportSheet Sheet(long number, MeetingView meeting, IReadOnlyList<LedgerRow> rows, IReadOnlyDictionary<string, Agency> directory, DateTimeOffset at)
    {
        string? AgencyName(string? id) => id is null ? null : directory.TryGetValue(id, out var agency) ? agency.Name : id;
        var cells = rows.Select(row => (IReadOnlyList<ExportCell>)
        [
            number,
            row.CaseId,
            row.Name is { } name ? string.Join(' ', new[] { name.Family, name.Given }.Where(part => !string.IsNullOrEmpty(part))) : null,
            CategoryName(row.Category),
            StatusName(row.Status),
            row.RiskLevel is { } risk ? RiskName(risk) : null,
            row.Urgency is { } urgency ? UrgencyName(urgency) : null,
            AgencyName(row.LeadAgencyId),
            AgencyName(row.KeyAgencyId),
            row.LastReview is { } review ? ExportCell.Of(review.Date) : ExportCell.Empty,
            row.LastReview is { } last ? MeetingService.KindName(last.MeetingKind) : null,
            row.NextReviewDate is { } next ? ExportCell.Of(next) : ExportCell.Empty,
            (long)row.DaysOverdue,
            row.LastActivityAt is { } activity ? ExportCell.OfLocal(activity.DateTime) : ExportCell.Empty,
        ]).ToList();
        var footer = new ExportCell[Header.Count];
        footer[0] = number;
        footer[1] = Footer(number, meeting, at);
        cells.Add(footer);
        return new ExportSheet($"{SheetName} 写し{number.ToString(CultureInfo.InvariantCulture)}", Header, cells);
    }

    private static string CategoryName(CaseCategory category) => category switch
    {
        CaseCategory.RequiringProtection => "要保護児童",
        CaseCategory.RequiringSupport => "要支援児童",
        CaseCategory.ExpectantMother => "特定妊婦",
        _ => category.ToString(),
    };

    private static string StatusName(CaseStatus status) => status switch
    {
        CaseStatus.Accepted => "受理",
        CaseStatus.Registered => "登録",
        CaseStatus.Closed => "終結",
        _ => status.ToString(),
    };

    private static string RiskName(RiskLevel risk) => risk switch
    {
        RiskLevel.Low => "低",
        RiskLevel.Medium => "中",
        RiskLevel.High => "高",
        RiskLevel.Critical => "最重度",
        _ => risk.ToString(),
    };

    private static string UrgencyName(Urgency urgency) => urgency switch
    {
        Cases.Urgency.Routine => "通常",
        Cases.Urgency.WithinAWeek => "1週間以内",
        Cases.Urgency.Within48Hours => "48時間以内",
        Cases.Urgency.Immediate => "直ちに",
        _ => urgency.ToString(),
    };
}

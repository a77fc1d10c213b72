using System.Net;
using System.Text;
using Azure.Data.Tables;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Serverless.Audit;
using Serverless.Council.Ledger;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Council;

/// <summary><c>GET /api/ledger/export</c>: the ledger for a meeting as xlsx or CSV, coordinators only; every export a
/// numbered copy (写し番号) printed in the file and audited with who took it and for which meeting.</summary>
public sealed class LedgerExportTests
{
    [Fact]
    public async Task EachExportIsANumberedCopyPrintedInTheFileAndAuditedWithItsMeeting()
    {
        await using var api = await CaseApi.StartAsync();
        var meetingId = await MeetingReviewTests.MeetingAsync(api, "practitioners", "第3回実務者会議");
        var overdue = await LedgerTests.CreateAsync(api, "registered", CaseApi.Today.AddDays(-4), risk: "high");
        var later = await LedgerTests.CreateAsync(api, "accepted", CaseApi.Today.AddDays(20));

        using var csv = await ExportAsync(api, meetingId, "csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", csv.Content.Headers.ContentType!.ToString());
        Assert.Contains("filename*=UTF-8''", csv.Content.Headers.GetValues("Content-Disposition").Single(), StringComparison.Ordinal);
        var bytes = await csv.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(',', LedgerExport.Header), lines[0]);
        var first = Number(lines[1]);
        Assert.True(first >= 1);
        Assert.Matches($"^{first},{overdue},試験\\p{{IsCJKUnifiedIdeographs}}+ 太郎,要保護児童,登録,高,", lines[1]);
        Assert.Contains(",みどり市 子ども家庭課,みどり市立南小学校,,,2025/06/12,4,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith($"{first},{later},", lines[2], StringComparison.Ordinal);
        Assert.StartsWith($"{first},写し番号 {first}：第3回実務者会議（実務者会議 2025-06-16）のため ", lines[3], StringComparison.Ordinal);
        Assert.Equal(4, lines.Length);

        using var xlsx = await ExportAsync(api, meetingId, "xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var (sheetName, rows) = Read(await xlsx.Content.ReadAsByteArrayAsync());
        Assert.Equal($"進行管理台帳 写し{first + 1}", sheetName);
        Assert.Equal(LedgerExport.Header, rows[0]);
        Assert.Equal([(first + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), overdue], rows[1][..2]);
        Assert.StartsWith($"写し番号 {first + 1}：", rows[^1][1], StringComparison.Ordinal);

        // Exports at the same moment never share a number.
        var together = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            using var response = await ExportAsync(api, meetingId, "csv");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return Number(Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n")[1]);
        }));
        Assert.Equal(Enumerable.Range((int)first + 2, 4).Select(n => (long)n), together.Order());

        var audited = await api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(AuditTables.LogTable))
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"Action eq {AuditActions.LedgerExport} and Kind eq {AuditEntryKinds.Outcome}"))
            .ToListAsync();
        Assert.Equal(Enumerable.Range((int)first, 6).Select(n => (long)n), audited.Select(row => row.GetInt64("TargetCopyNumber")!.Value).Order());
        Assert.All(audited, row => Assert.Equal((meetingId, DemoPersonId(CaseApi.Coordinator)), (row.GetString("TargetMeetingId"), row.GetString("ActorId"))));
        Assert.All(audited, row => Assert.Equal(new[] { overdue, later }.Order(StringComparer.Ordinal), row.GetString("CasesTouched")!.Split(',').Order(StringComparer.Ordinal)));
        var copy = await api.Host.Get<LedgerCopies>().FindAsync(first, CancellationToken.None);
        Assert.Equal((meetingId, DemoPersonId(CaseApi.Coordinator), "csv", 2), (copy!.MeetingId, copy.TakenBy, copy.Format, copy.Cases));
    }

    [Fact]
    public async Task OnlyCoordinatorsExportAndAnUnknownMeetingOrAMissingFormatIsRefused()
    {
        await using var api = await CaseApi.StartAsync();
        var meetingId = await MeetingReviewTests.MeetingAsync(api, "practitioners", null);
        await LedgerTests.CreateAsync(api, "registered", CaseApi.Today);

        foreach (var person in new[] { "teacher-tanaka", "admin-kobayashi", "auditor-watanabe" })
        {
            using var refused = await ExportAsync(api, meetingId, "xlsx", person);
            await CaseApi.ProblemAsync(refused, ProblemCatalogue.Forbidden);
        }

        using var unknown = await ExportAsync(api, "g" + new string('0', 32), "csv");
        await CaseApi.ProblemAsync(unknown, ProblemCatalogue.NotFound);
        using var noMeeting = await api.SendAsync(HttpMethod.Get, "api/ledger/export?format=csv", CaseApi.Coordinator);
        await CaseApi.ValidationErrorsAsync(noMeeting, ("$.meetingId", "required"));
        using var badFormat = await ExportAsync(api, meetingId, "pdf");
        await CaseApi.ValidationErrorsAsync(badFormat, ("$.format", "invalid-value"));

        // Nothing refused took a number: the first copy taken is number 1.
        using var taken = await ExportAsync(api, meetingId, "csv");
        Assert.Equal(1, Number(Encoding.UTF8.GetString((await taken.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n")[1]));
    }

    private static Task<HttpResponseMessage> ExportAsync(CaseApi api, string meetingId, string format, string person = CaseApi.Coordinator)
        => api.SendAsync(HttpMethod.Get, $"api/ledger/export?meetingId={meetingId}&format={format}", person);

    private static long Number(string csvLine) => long.Parse(csvLine[..csvLine.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);

    private static string DemoPersonId(string subject) => Serverless.DevHost.DemoPeople.PersonId(subject);

    private static (string SheetName, List<string[]> Rows) Read(byte[] bytes)
    {
        using var document = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var workbook = document.WorkbookPart!;
        var sheet = Assert.Single(workbook.Workbook.Sheets!.Elements<Sheet>());
        var rows = ((WorksheetPart)workbook.GetPartById(sheet.Id!.Value!)).Worksheet!.GetFirstChild<SheetData>()!.Elements<Row>()
            .Select(row => row.Elements<Cell>().Select(cell => cell.InlineString?.InnerText ?? cell.CellValue?.Text ?? string.Empty).ToArray())
            .ToList();
        return (sheet.Name!.Value!, rows);
    }
}

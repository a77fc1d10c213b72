using Serverless.Agencies;
using Serverless.Exports;

namespace Serverless.Stats;

/// <summary>A file of counts to download: its bytes, its content type and its name.</summary>
public sealed record StatsFile(byte[] Content, string ContentType, string FileName);

/// <summary>Writes the counts as xlsx or CSV (the shared exports: Japanese header row, CSV with BOM and CRLF,
/// formula-like text neutralised), lead agencies by name.</summary>
public sealed class StatsFiles(AgencyDirectory agencies)
{
    public async Task<StatsFile> WriteAsync(CouncilStats stats, StatsRequest request, CancellationToken cancellationToken)
    {
        var sheet = StatsSheet.Build(stats, request.SuppressSmallCounts, await agencies.AllAsync(cancellationToken));
        var name = $"stats-{stats.Period.From:yyyyMMdd}-{stats.Period.To:yyyyMMdd}";
        return request.Format == StatsFormat.Xlsx
            ? new StatsFile(XlsxExport.Write(sheet), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx")
            : new StatsFile(CsvExport.Write(sheet), "text/csv; charset=utf-8", name + ".csv");
    }
}

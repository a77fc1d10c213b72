using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Entries;

public sealed class DebugTests
{
    [Fact]
    public async Task Dump()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        using var t = await api.TimelineAsync(caseId);
        using var c = await api.CorrectAsync(caseId, reportId, Report(), person: NurseryHead);
        Assert.Fail(string.Join("\n", api.Host.Logs.Entries.Where(e => e.Exception is not null).Select(e => e.Everything)));
    }
}

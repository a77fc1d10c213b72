using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Entries;

/// <summary>Reports (状況報告) as agencies submit and read them.</summary>
public sealed class ReportApiTests
{
    [Fact]
    public async Task AMemberSubmitsAReportAndEveryoneOnTheCaseReadsItOnTheTimelineInJapanTime()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();

        using var submitted = await api.SubmitReportAsync(caseId, Report(), Teacher);

        var receipt = await CaseApi.BodyAsync(submitted);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var reportId = (string)receipt["entryId"]!;
        Assert.Matches("^r[0-9a-z]{26}$", reportId);
        Assert.Equal($"/api/cases/{caseId}/reports/{reportId}", submitted.Headers.Location?.ToString());
        Assert.Equal(new JsonObject { ["entryId"] = reportId, ["type"] = "report", ["receivedAt"] = "2025-06-16T00:30:00+09:00", ["version"] = 1 }.ToJsonString(), receipt.ToJsonString());
        foreach (var reader in new[] { CaseApi.Coordinator, Teacher, NurseryHead, Nurse })
        {
            var report = Assert.Single(await api.EntriesAsync(caseId, reader), entry => (string)entry!["type"]! == "report")!;
            Assert.Equal(reportId, (string)report["entryId"]!);
            Assert.Equal("2025-06-15T08:10:00+09:00", (string)report["observedAt"]!);
            Assert.Equal("2025-06-16T00:30:00+09:00", (string)report["receivedAt"]!);
            Assert.Equal(new JsonObject { ["kind"] = "person", ["agencyId"] = School, ["personId"] = DemoPeople.PersonId(Teacher) }.ToJsonString(), report["author"]!.ToJsonString());
            Assert.Equal("左腕に青あざ。本人は「転んだ」と話している。", (string)report["report"]!["narrative"]!);
            Assert.Equal(["arms"], report["report"]!["injury"]!["bodyParts"]!.AsArray().Select(part => (string)part!));
        }
    }

    [Fact]
    public async Task AFormsKeyOfAnAgencyOnTheCaseGetsTheReceiptOnlyAndAnotherAgencysKeyGets404()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var schoolKey = await api.KeyAsync(School);
        var centreKey = await api.KeyAsync("chuo-jisou"); // the child guidance centre does not take part

        using var submitted = await api.SubmitReportAsync(caseId, FormReport(), person: null, key: schoolKey);
        using var foreign = await api.SubmitReportAsync(caseId, FormReport(), person: null, key: centreKey);
        using var missing = await api.SubmitReportAsync("c" + new string('0', 26), FormReport(), person: null, key: schoolKey);
        using var reading = await api.TimelineAsync(caseId, person: null, key: schoolKey);

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal(["entryId", "type", "receivedAt", "version"], (await CaseApi.BodyAsync(submitted)).Select(property => property.Key));
        var notFound = await CaseApi.ProblemAsync(foreign, ProblemCatalogue.NotFound);
        var alsoNotFound = await CaseApi.ProblemAsync(missing, ProblemCatalogue.NotFound);
        Assert.Equal(notFound["detail"]!.ToJsonString(), alsoNotFound["detail"]!.ToJsonString());
        await CaseApi.ProblemAsync(reading, ProblemCatalogue.NotFound); // a key never sees the case
        var report = Assert.Single(await api.EntriesAsync(caseId, Teacher), entry => (string)entry!["type"]! == "report")!;
        Assert.Equal("form", (string)report["author"]!["kind"]!);
        Assert.Null(report["author"]!["keyId"]); // the key's id is for coordinators
        Assert.Equal("南小学校 教頭 高橋", (string)report["author"]!["submittedBy"]!["name"]!);
        var forCoordinator = Assert.Single(await api.EntriesAsync(caseId), entry => (string)entry!["type"]! == "report")!;
        Assert.StartsWith("sk_", "sk_" + (string)forCoordinator["author"]!["keyId"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportNeverChangesTheCaseETagSoACoordinatorsEditStillSaves()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        using var before = await api.GetAsync(caseId);
        var etag = CaseApi.ETag(before);

        using var submitted = await api.SubmitReportAsync(caseId, Report(), Teacher);
        using var edited = await api.PatchAsync(caseId, etag, "面談の予定を記録", new JsonObject { ["notes"] = "6月20日に面談" });

        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        Assert.Equal("\"v1\"", etag);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
    }

    [Fact]
    public async Task AnUnnamedTeacherAnAdminAndAnAuditorCannotSubmitAndLearnNothingOfTheCase()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();

        foreach (var person in new[] { UnnamedTeacher, "admin-kobayashi", "auditor-watanabe", "jisou-ito" })
        {
            using var refused = await api.SubmitReportAsync(caseId, Report(), person);
            await CaseApi.ProblemAsync(refused, ProblemCatalogue.NotFound);
        }

        Assert.DoesNotContain(await api.EntriesAsync(caseId), entry => (string)entry!["type"]! == "report");
    }

    [Fact]
    public async Task ACoordinatorsOnlyReportIsSeenByCoordinatorsAndItsAuthorsAgencyOnly()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var hidden = await api.ReportIdAsync(caseId, Report("本人が父親について話した内容", "coordinators-only"), Teacher);
        var named = await api.ReportIdAsync(caseId, Report("保健センターにだけ伝えたい所見", "named-agencies", HealthCentre), NurseryHead);

        Assert.Equal(new[] { hidden, named }.Order(), Ids(await api.EntriesAsync(caseId)).Intersect([hidden, named]).Order());
        Assert.Contains(hidden, Ids(await api.EntriesAsync(caseId, Teacher)));
        Assert.DoesNotContain(named, Ids(await api.EntriesAsync(caseId, Teacher)));
        Assert.DoesNotContain(hidden, Ids(await api.EntriesAsync(caseId, NurseryHead)));
        Assert.Contains(named, Ids(await api.EntriesAsync(caseId, NurseryHead)));
        Assert.Contains(named, Ids(await api.EntriesAsync(caseId, Nurse)));
        Assert.DoesNotContain(hidden, Ids(await api.EntriesAsync(caseId, Nurse)));
        using var direct = await api.GetReportAsync(caseId, hidden, Nurse);
        await CaseApi.ProblemAsync(direct, ProblemCatalogue.NotFound); // an entry the caller may not see is missing to them
    }

    [Fact]
    public async Task BadReportsAreRefusedWithEveryFieldsPathAndStoreNothing()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var bad = Report(new string('あ', 10_001), "named-agencies", "chuo-jisou");
        bad["observedAt"] = "2025-06-17T09:00:00+09:00";
        bad["absence"] = new JsonObject { ["from"] = "2025-06-13", ["to"] = "2025-06-11", ["reasonGiven"] = true };

        using var refused = await api.SubmitReportAsync(caseId, bad, Teacher);
        var unknownField = Report();
        unknownField["colour"] = "red";
        using var unknown = await api.SubmitReportAsync(caseId, unknownField, Teacher);
        var unknownKind = Report();
        unknownKind["kind"] = "rumour";
        using var kind = await api.SubmitReportAsync(caseId, unknownKind, Teacher);
        var noOffset = Report();
        noOffset["observedAt"] = "2025-06-15T08:10:00";
        using var offset = await api.SubmitReportAsync(caseId, noOffset, Teacher);
        var combining = Report(string.Concat(Enumerable.Repeat("か\u3099\u3099\u3099", 6_000))); // 6,000 seen characters, 24,000 UTF-16 units
        using var encoded = await api.SubmitReportAsync(caseId, combining, Teacher);
        var fromPerson = Report();
        fromPerson["submittedBy"] = new JsonObject { ["name"] = "田中" };
        using var personTyped = await api.SubmitReportAsync(caseId, fromPerson, Teacher);

        await CaseApi.ValidationErrorsAsync(
            refused,
            ("$.observedAt", "future-date"),
            ("$.narrative", "too-long"),
            ("$.scope.agencyIds[0]", "agency-not-on-case"),
            ("$.absence", "not-for-kind"),
            ("$.absence.to", "date-order"));
        await CaseApi.ProblemAsync(unknown, ProblemCatalogue.InvalidJson);
        await CaseApi.ProblemAsync(kind, ProblemCatalogue.InvalidJson);
        await CaseApi.ValidationErrorsAsync(offset, ("$.observedAt", "offset-required"));
        await CaseApi.ValidationErrorsAsync(encoded, ("$.narrative", "too-long-encoded"));
        await CaseApi.ValidationErrorsAsync(personTyped, ("$.submittedBy", "server-managed"));
        Assert.DoesNotContain(await api.EntriesAsync(caseId), entry => (string)entry!["type"]! == "report");
        Assert.Empty(await CaseRowsAsync(api, caseId, "e"));
    }

    [Fact]
    public async Task TheLimitsOfAReportAreEnforced()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var days = FormReport();
        days.Remove("submittedBy");
        days["absence"]!["schoolDaysAbsent"] = 251;
        var parts = Report();
        parts["injury"] = new JsonObject { ["bodyParts"] = new JsonArray("arms", "arms") };
        var noParts = Report();
        noParts["injury"] = new JsonObject { ["bodyParts"] = new JsonArray() };
        var huge = new string('a', Serverless.Functions.Entries.ReportFunctions.MaxBodyBytes);

        using var tooManyDays = await api.SubmitReportAsync(caseId, days, Teacher);
        using var repeated = await api.SubmitReportAsync(caseId, parts, Teacher);
        using var none = await api.SubmitReportAsync(caseId, noParts, Teacher);
        using var tooLarge = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/reports", Teacher, new StringContent("{\"narrative\":\"" + huge + "\"}", System.Text.Encoding.UTF8, "application/json"));
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        using var longReason = await api.CorrectAsync(caseId, reportId, Report(), reason: new string('理', 501), person: Teacher);

        await CaseApi.ValidationErrorsAsync(tooManyDays, ("$.absence.schoolDaysAbsent", "out-of-range"));
        await CaseApi.ValidationErrorsAsync(repeated, ("$.injury.bodyParts", "duplicate"));
        await CaseApi.ValidationErrorsAsync(none, ("$.injury.bodyParts", "required"));
        await CaseApi.ProblemAsync(tooLarge, ProblemCatalogue.BodyTooLarge);
        await CaseApi.ValidationErrorsAsync(longReason, ("$.reason", "too-long"));
    }

    [Fact]
    public async Task AReportKeepsAtMostFiftyVersions()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        for (var version = 2; version <= Serverless.Entries.EntryLimits.Versions; version++)
        {
            using var corrected = await api.CorrectAsync(caseId, reportId, Report($"訂正 {version}"), person: Teacher);
            Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        }

        using var oneMore = await api.CorrectAsync(caseId, reportId, Report("もう一度"), person: Teacher);

        await CaseApi.ValidationErrorsAsync(oneMore, ("$", "too-many"));
        using var read = await api.GetReportAsync(caseId, reportId, Nurse);
        Assert.Equal(Serverless.Entries.EntryLimits.Versions, (await CaseApi.BodyAsync(read))["versions"]!.AsArray().Count);
    }

    [Fact]
    public async Task AFormMustSayWhoFilledItIn()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var key = await api.KeyAsync(School);
        var anonymous = FormReport();
        anonymous.Remove("submittedBy");
        var blank = FormReport(name: " ");

        using var missing = await api.SubmitReportAsync(caseId, anonymous, person: null, key: key);
        using var empty = await api.SubmitReportAsync(caseId, blank, person: null, key: key);

        await CaseApi.ValidationErrorsAsync(missing, ("$.submittedBy", "required"));
        await CaseApi.ValidationErrorsAsync(empty, ("$.submittedBy.name", "required"));
    }

    [Fact]
    public async Task TheAuthorsAgencyCorrectsAReportAndEveryVersionStaysReadable()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);
        var corrected = Report("右腕に青あざ（左ではなく右）。本人は「転んだ」と話している。");

        using var byOtherAgency = await api.CorrectAsync(caseId, reportId, corrected, person: NurseryHead);
        using var withoutReason = await api.CorrectAsync(caseId, reportId, corrected, reason: null, person: Teacher);
        using var correction = await api.CorrectAsync(caseId, reportId, corrected, person: Teacher);

        await CaseApi.ProblemAsync(byOtherAgency, ProblemCatalogue.Forbidden);
        await CaseApi.ValidationErrorsAsync(withoutReason, ("$.reason", "required"));
        Assert.Equal(HttpStatusCode.Created, correction.StatusCode);
        Assert.Equal($"/api/cases/{caseId}/reports/{reportId}", correction.Headers.Location?.ToString());
        var onTimeline = Assert.Single(await api.EntriesAsync(caseId, Nurse), entry => (string)entry!["type"]! == "report")!;
        Assert.True((bool)onTimeline["corrected"]!);
        Assert.Equal(2, (int)onTimeline["version"]!);
        Assert.StartsWith("右腕", (string)onTimeline["report"]!["narrative"]!, StringComparison.Ordinal);
        using var read = await api.GetReportAsync(caseId, reportId, Nurse);
        var versions = (await CaseApi.BodyAsync(read))["versions"]!.AsArray();
        Assert.Equal([1, 2], versions.Select(version => (int)version!["version"]!));
        Assert.StartsWith("左腕", (string)versions[0]!["report"]!["narrative"]!, StringComparison.Ordinal);
        Assert.Null(versions[0]!["reason"]);
        Assert.Equal("日付の誤りを訂正", (string)versions[1]!["reason"]!);
        Assert.Equal(DemoPeople.PersonId(Teacher), (string)versions[1]!["by"]!);
    }

    [Fact]
    public async Task ACoordinatorRedactsAReportAndItsContentIsGoneFromEverySurfaceButTheRedactionStays()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report("別の児童についての記述"), Teacher);
        using (await api.CorrectAsync(caseId, reportId, Report("別の児童についての記述（訂正）"), person: Teacher))
        {
        }

        using var byMember = await api.RedactAsync(caseId, reportId, person: Teacher);
        using var redacted = await api.RedactAsync(caseId, reportId);
        using var again = await api.RedactAsync(caseId, reportId);
        using var correctAfter = await api.CorrectAsync(caseId, reportId, Report(), person: Teacher);

        await CaseApi.ProblemAsync(byMember, ProblemCatalogue.Forbidden);
        Assert.Equal(HttpStatusCode.OK, redacted.StatusCode);
        await CaseApi.ProblemAsync(again, ProblemCatalogue.EntryRedacted);
        await CaseApi.ProblemAsync(correctAfter, ProblemCatalogue.EntryRedacted);
        var entry = Assert.Single(await api.EntriesAsync(caseId, Nurse), entry => (string)entry!["type"]! == "report")!;
        Assert.Null(entry["report"]);
        Assert.Equal("別の児童の記録を誤って登録したため", (string)entry["redaction"]!["reason"]!);
        Assert.Equal(DemoPeople.PersonId(CaseApi.Coordinator), (string)entry["redaction"]!["by"]!);
        using var read = await api.GetReportAsync(caseId, reportId);
        var body = await CaseApi.BodyAsync(read);
        Assert.All(body["versions"]!.AsArray(), version => Assert.Null(version!["report"]));
        var stored = string.Join("\n", (await CaseRowsAsync(api, caseId, "")).Select(row => string.Join(",", row.Values)));
        Assert.DoesNotContain("別の児童についての記述", stored, StringComparison.Ordinal); // no row of the case keeps it
    }

    internal static IEnumerable<string> Ids(JsonArray entries) => entries.Select(entry => (string)entry!["entryId"]!);

    /// <summary>The case partition's rows whose key starts with <paramref name="prefix"/>, every property as text.</summary>
    internal static async Task<List<Dictionary<string, string>>> CaseRowsAsync(CaseApi api, string caseId, string prefix)
    {
        var table = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(Serverless.Cases.Storage.CaseStore.TableName));
        var rows = new List<Dictionary<string, string>>();
        await foreach (var row in table.QueryAsync<Azure.Data.Tables.TableEntity>(Azure.Data.Tables.TableClient.CreateQueryFilter($"PartitionKey eq {caseId}")))
        {
            if (row.RowKey.StartsWith(prefix, StringComparison.Ordinal))
            {
                rows.Add(row.ToDictionary(property => property.Key, property => Convert.ToString(property.Value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
            }
        }

        return rows;
    }
}

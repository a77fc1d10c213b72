using System.Net;
using Microsoft.Extensions.Time.Testing;
using Serverless.Cases.Storage;
using Serverless.Idempotency;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Entries;

/// <summary>
/// <c>Idempotency-Key</c> as the IETF httpapi draft has it: forms on flaky school networks retry, and nothing may
/// be doubled or lost.
/// </summary>
public sealed class IdempotencyTests
{
    [Fact]
    public async Task ARetryWithTheSameKeyAndBodyGetsTheFirstAnswerAgainAndStoresNothing()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var key = await api.KeyAsync(School);

        using var first = await api.SubmitReportAsync(caseId, FormReport(), person: null, key: key, idempotencyKey: "8e03978e-40d5-43e8-bc93-6894a57f9324");
        using var retry = await api.SubmitReportAsync(caseId, FormReport(), person: null, key: key, idempotencyKey: "\"8e03978e-40d5-43e8-bc93-6894a57f9324\"");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single(await api.EntriesAsync(caseId), entry => (string)entry!["type"]! == "report");
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIs422AndTheSameKeyFromAnotherCallerIsAnotherRequest()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var schoolKey = await api.KeyAsync(School);
        var nurseryKey = await api.KeyAsync(Nursery);

        using var first = await api.SubmitReportAsync(caseId, FormReport(), person: null, key: schoolKey, idempotencyKey: "form-1");
        using var otherBody = await api.SubmitReportAsync(caseId, FormReport(narrative: "別の内容"), person: null, key: schoolKey, idempotencyKey: "form-1");
        using var otherForm = await api.SubmitReportAsync(caseId, FormReport(name: "ひかり保育園 園長 山田"), person: null, key: nurseryKey, idempotencyKey: "form-1");
        using var person = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "form-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await CaseApi.ProblemAsync(otherBody, ProblemCatalogue.IdempotencyKeyReused);
        Assert.Equal(HttpStatusCode.Created, otherForm.StatusCode);
        Assert.Equal(HttpStatusCode.Created, person.StatusCode);
        Assert.Equal(3, (await api.EntriesAsync(caseId)).Count(entry => (string)entry!["type"]! == "report"));
    }

    [Fact]
    public async Task AnInvalidBodyLeavesNoRecordSoTheCorrectedRetryWithTheSameKeySucceeds()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var bad = Report();
        bad["narrative"] = "";

        using var refused = await api.SubmitReportAsync(caseId, bad, Teacher, idempotencyKey: "retry-me");
        using var corrected = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "retry-me");

        await CaseApi.ValidationErrorsAsync(refused, ("$.narrative", "required"));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\tb")]
    [InlineData("a\"b")]
    public async Task AKeyThatIsEmptyOrNotPrintableAsciiIs400AndStoresNothing(string idempotencyKey)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();

        using var refused = await api.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/reports", Teacher, CaseApi.Json(Report()), request =>
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey));

        await CaseApi.ProblemAsync(refused, ProblemCatalogue.InvalidIdempotencyKey);
        Assert.Empty(await ReportApiTests.CaseRowsAsync(api, caseId, "e"));
    }

    [Fact]
    public async Task AKeyOverItsDocumentedLengthIs400ButAHiddenCaseIsStill404()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var tooLong = new string('k', IdempotencyKey.MaxLength + 1);

        using var refused = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: tooLong);
        using var hidden = await api.SubmitReportAsync(caseId, Report(), UnnamedTeacher, idempotencyKey: tooLong);
        using var longest = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: tooLong[1..]);

        await CaseApi.ProblemAsync(refused, ProblemCatalogue.InvalidIdempotencyKey);
        await CaseApi.ProblemAsync(hidden, ProblemCatalogue.NotFound);
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
    }

    [Fact]
    public async Task ARetryWhileTheFirstAttemptRunsIs409UntilItsMarkExpiresAndThenCompletesOnce()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        // As if a first attempt had marked the key and then crashed before its batch.
        var caller = new Caller(Serverless.DevHost.DemoPeople.PersonId(Teacher), School, CallerRole.Member);
        var bytes = System.Text.Encoding.UTF8.GetBytes(await CaseApi.Json(Report()).ReadAsStringAsync());
        var key = IdempotencyKey.For(caller, "reports", "crashed-once", bytes);
        var table = api.Host.Storage.Tables.GetTableClient(api.Host.Names.Table(CaseStore.TableName));
        Assert.IsType<IdempotencyCheck.Proceed>(await api.Host.Get<IdempotencyRecords>().MarkAsync(table, caseId, key, CancellationToken.None));

        using var whileRunning = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "crashed-once");
        ((FakeTimeProvider)api.Host.Clock!).Advance(IdempotencyRecords.InFlightFor + TimeSpan.FromSeconds(1));
        using var afterExpiry = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "crashed-once");
        using var again = await api.SubmitReportAsync(caseId, Report(), Teacher, idempotencyKey: "crashed-once");

        await CaseApi.ProblemAsync(whileRunning, ProblemCatalogue.IdempotencyKeyInFlight);
        Assert.Equal(HttpStatusCode.Created, afterExpiry.StatusCode);
        Assert.Equal(await afterExpiry.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Single(await api.EntriesAsync(caseId), entry => (string)entry!["type"]! == "report");
    }

    [Fact]
    public async Task OfTwentyConcurrentAttemptsWithOneKeyExactlyOneReportIsStoredAndEveryAnswerNamesIt()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var key = await api.KeyAsync(School);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await api.SubmitReportAsync(caseId, FormReport(), person: null, key: key, idempotencyKey: "burst");
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        var created = answers.Where(answer => answer.StatusCode == HttpStatusCode.Created).Select(answer => answer.Body).Distinct().ToList();
        Assert.Single(created); // every 201 is the same receipt
        Assert.All(answers, answer => Assert.True(answer.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, answer.Body));
        Assert.Single(await api.EntriesAsync(caseId), entry => (string)entry!["type"]! == "report");
        Assert.Contains((string)System.Text.Json.Nodes.JsonNode.Parse(created[0])!["entryId"]!, ReportApiTests.Ids(await api.EntriesAsync(caseId)));
    }
}

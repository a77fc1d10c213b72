using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Entries;
using Serverless.Tests.Infrastructure;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Privacy;

/// <summary>Narratives, comments, names typed into forms, mentions and reasons pass through every entry endpoint;
/// none of it may reach logs, table keys, queue messages or blobs. An Idempotency-Key is the client's own text
/// (a careless form could put a child's name in it): it is hashed before it becomes a key.</summary>
public sealed class EntryCanaryTests
{
    [Fact]
    public async Task PersonalDataThroughEveryEntryEndpointReachesNoLogKeyQueueOrBlob()
    {
        await using var api = await CaseApi.StartAsync(backgroundTriggers: true);
        var canary = new PersonalDataCanary();
        var caseId = await api.SharedCaseAsync();
        var formKey = await api.KeyAsync(School);

        using (var fromForm = await api.SubmitReportAsync(caseId, FormReport(name: canary.FamilyName, narrative: canary.ReportText), person: null, key: formKey, idempotencyKey: canary.Marker))
        using (var replayed = await api.SubmitReportAsync(caseId, FormReport(name: canary.FamilyName, narrative: canary.ReportText), person: null, key: formKey, idempotencyKey: canary.Marker))
        using (var reused = await api.SubmitReportAsync(caseId, FormReport(name: canary.GivenName, narrative: canary.ReportText), person: null, key: formKey, idempotencyKey: canary.Marker))
        {
            Assert.Equal(HttpStatusCode.Created, fromForm.StatusCode);
            Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        }

        var reportId = await api.ReportIdAsync(caseId, Report(canary.ReportText + " " + canary.Address), Teacher);
        var bad = Report(canary.ReportText, "named-agencies", canary.Marker);
        bad["observedAt"] = canary.BirthDate;
        using (var refused = await api.SubmitReportAsync(caseId, bad, Teacher))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        var comment = new JsonObject
        {
            ["text"] = canary.ReportText,
            ["inReplyTo"] = reportId,
            ["mentions"] = new JsonObject { ["personIds"] = new JsonArray(DemoPeople.PersonId(Nurse)), ["agencyIds"] = new JsonArray(HealthCentre) },
        };
        await api.CommentIdAsync(caseId, comment, NurseryHead);
        using (var mentionRefused = await api.CommentAsync(caseId, new JsonObject { ["text"] = canary.ReportText, ["mentions"] = new JsonObject { ["personIds"] = new JsonArray(canary.FamilyName) } }, NurseryHead))
        {
            Assert.Equal(HttpStatusCode.BadRequest, mentionRefused.StatusCode);
        }

        using (var corrected = await api.CorrectAsync(caseId, reportId, Report(canary.ReportText + "（訂正）"), reason: "訂正: " + canary.FamilyName, person: Teacher))
        {
            Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        }

        Assert.Contains(canary.Marker, (await api.EntriesAsync(caseId, Nurse)).ToJsonString(), StringComparison.Ordinal);
        using (var read = await api.GetReportAsync(caseId, reportId, Nurse))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var redacted = await api.RedactAsync(caseId, reportId, reason: "誤登録: " + canary.GivenName))
        {
            Assert.Equal(HttpStatusCode.OK, redacted.StatusCode);
        }

        var activity = api.Host.Get<Serverless.Cases.Activity.CaseActivityLog>();
        await TestHost.WaitUntilAsync(async () => (await activity.GetAsync(caseId, CancellationToken.None)).LastByKind.Count == 2, TimeSpan.FromSeconds(20), "the entry events were handled");
        Assert.Empty(await canary.FindLeaksAsync(api.Host));
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Serverless.DevHost;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Entries.EntryApi;

namespace Serverless.Tests.Entries;

/// <summary>Comments: how agencies answer and thank each other, never seen more widely than what they answer.</summary>
public sealed class CommentApiTests
{
    [Fact]
    public async Task AReplyToAReportIsOnTheTimelineWithItsParentAndMentions()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var reportId = await api.ReportIdAsync(caseId, Report(), Teacher);

        var commentId = await api.CommentIdAsync(caseId, new JsonObject
        {
            ["text"] = "共有ありがとうございます。明日の家庭訪問で確認します。",
            ["inReplyTo"] = reportId,
            ["mentions"] = new JsonObject { ["personIds"] = new JsonArray(DemoPeople.PersonId(Teacher)), ["agencyIds"] = new JsonArray(HealthCentre) },
        }, Nurse);

        var comment = Assert.Single(await api.EntriesAsync(caseId, NurseryHead), entry => (string)entry!["entryId"]! == commentId)!;
        Assert.Matches("^m[0-9a-z]{26}$", commentId);
        Assert.Equal("共有ありがとうございます。明日の家庭訪問で確認します。", (string)comment["comment"]!["text"]!);
        Assert.Equal(reportId, (string)comment["comment"]!["inReplyTo"]!);
        Assert.Equal("all-participants", (string)comment["scope"]!["audience"]!); // the parent's scope
        Assert.Equal([DemoPeople.PersonId(Teacher)], comment["comment"]!["mentions"]!["personIds"]!.AsArray().Select(id => (string)id!));
    }

    [Fact]
    public async Task AReplyTakesItsParentsScopeAndCannotBeShownMoreWidely()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var narrow = await api.ReportIdAsync(caseId, Report("保健センターと共有", "named-agencies", HealthCentre), Teacher);

        var inherited = await api.CommentIdAsync(caseId, new JsonObject { ["text"] = "了解しました", ["inReplyTo"] = narrow }, Nurse);
        using var wider = await api.CommentAsync(caseId, new JsonObject { ["text"] = "皆さんにも", ["inReplyTo"] = narrow, ["scope"] = Scope("all-participants") }, Nurse);
        using var namedWider = await api.CommentAsync(caseId, new JsonObject { ["text"] = "保育園にも", ["inReplyTo"] = narrow, ["scope"] = Scope("named-agencies", Nursery) }, Nurse);
        using var toAuthor = await api.CommentAsync(caseId, new JsonObject { ["text"] = "学校にだけ", ["inReplyTo"] = narrow, ["scope"] = Scope("named-agencies", School) }, Nurse);

        Assert.DoesNotContain(inherited, ReportApiTests.Ids(await api.EntriesAsync(caseId, NurseryHead)));
        Assert.Contains(inherited, ReportApiTests.Ids(await api.EntriesAsync(caseId, Teacher)));
        await CaseApi.ValidationErrorsAsync(wider, ("$.scope", "scope-wider-than-parent"));
        await CaseApi.ValidationErrorsAsync(namedWider, ("$.scope", "scope-wider-than-parent"));
        Assert.Equal(HttpStatusCode.Created, toAuthor.StatusCode); // the parent's author agency sees the parent
    }

    [Fact]
    public async Task AReplyToAnEntryTheCallerCannotSeeIs404LikeAMissingOne()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var hidden = await api.ReportIdAsync(caseId, Report("調整機関にだけ", "coordinators-only"), Teacher);

        using var toHidden = await api.CommentAsync(caseId, new JsonObject { ["text"] = "見えますか", ["inReplyTo"] = hidden }, NurseryHead);
        using var toMissing = await api.CommentAsync(caseId, new JsonObject { ["text"] = "見えますか", ["inReplyTo"] = "r" + new string('0', 26) }, NurseryHead);
        using var toGarbage = await api.CommentAsync(caseId, new JsonObject { ["text"] = "見えますか", ["inReplyTo"] = "山田花子" }, NurseryHead);

        var a = await CaseApi.ProblemAsync(toHidden, ProblemCatalogue.NotFound);
        var b = await CaseApi.ProblemAsync(toMissing, ProblemCatalogue.NotFound);
        await CaseApi.ProblemAsync(toGarbage, ProblemCatalogue.NotFound);
        Assert.Equal(a["detail"]!.ToJsonString(), b["detail"]!.ToJsonString());
    }

    [Fact]
    public async Task AMentionOfSomeoneNotOnTheCaseOrWhoCannotSeeTheCommentIsRefusedNeverWidened()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();

        using var refused = await api.CommentAsync(caseId, new JsonObject
        {
            ["text"] = "ご確認ください",
            ["scope"] = Scope("named-agencies", HealthCentre),
            ["mentions"] = new JsonObject
            {
                ["personIds"] = new JsonArray(DemoPeople.PersonId(UnnamedTeacher), DemoPeople.PersonId(NurseryHead), DemoPeople.PersonId("coordinator-mori")),
                ["agencyIds"] = new JsonArray("chuo-jisou", Nursery, HealthCentre),
            },
        }, Teacher);
        using var tooMany = await api.CommentAsync(caseId, new JsonObject
        {
            ["text"] = "多すぎる",
            ["mentions"] = new JsonObject { ["agencyIds"] = new JsonArray([.. Enumerable.Range(0, 21).Select(_ => JsonValue.Create(School))]) },
        }, Teacher);

        await CaseApi.ValidationErrorsAsync(
            refused,
            ("$.mentions.personIds[0]", "not-on-case"),
            ("$.mentions.personIds[1]", "mention-cannot-see"),
            ("$.mentions.agencyIds[0]", "not-on-case"),
            ("$.mentions.agencyIds[1]", "mention-cannot-see"));
        await CaseApi.ValidationErrorsAsync(tooMany, ("$.mentions", "too-many"));
        Assert.DoesNotContain(await api.EntriesAsync(caseId), entry => (string)entry!["type"]! == "comment");
    }

    [Fact]
    public async Task AFormsKeyCannotCommentAndTextHasItsLimit()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.SharedCaseAsync();
        var key = await api.KeyAsync(School);

        using var fromKey = await api.CommentAsync(caseId, new JsonObject { ["text"] = "フォームから" }, person: null, key: key);
        using var tooLong = await api.CommentAsync(caseId, new JsonObject { ["text"] = new string('あ', 2_001) }, Teacher);
        using var longest = await api.CommentAsync(caseId, new JsonObject { ["text"] = string.Concat(Enumerable.Repeat("𠮷", 2_000)) }, Teacher);
        using var empty = await api.CommentAsync(caseId, new JsonObject(), Teacher);
        using var tooLarge = await api.CommentAsync(caseId, new JsonObject { ["text"] = new string('a', Serverless.Functions.Entries.CommentFunctions.MaxBodyBytes) }, Teacher);

        await CaseApi.ProblemAsync(fromKey, ProblemCatalogue.Forbidden);
        await CaseApi.ValidationErrorsAsync(tooLong, ("$.text", "too-long"));
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode); // 2,000 seen characters, 4,000 UTF-16 units
        await CaseApi.ValidationErrorsAsync(empty, ("$.text", "required"));
        await CaseApi.ProblemAsync(tooLarge, ProblemCatalogue.BodyTooLarge);
    }
}

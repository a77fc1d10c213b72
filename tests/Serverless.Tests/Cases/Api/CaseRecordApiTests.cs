using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Serverless.Cases;
using Serverless.Problems;
using Serverless.Tests.Http;

namespace Serverless.Tests.Cases.Api;

/// <summary>
/// The case record endpoints through the local host over Azurite, as coordinators and agency staff use
/// them. Each test starts its own host (fresh tables) at a fixed time: 00:30 on 16 June 2025 in Japan.
/// </summary>
public sealed class CaseRecordApiTests
{
    private const string V1 = "\"v1\"";
    private const string V2 = "\"v2\"";

    // ---- Registering and reading ----

    [Fact]
    public async Task CoordinatorCreatesACaseAnsweredWith201VersionOneAndTheRecordExactlyAsSent()
    {
        await using var api = await CaseApi.StartAsync();
        var record = FullRecord();

        using var response = await api.CreateAsync(record);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(V1, CaseApi.ETag(response));
        var body = await CaseApi.BodyAsync(response);
        Assert.Equal(["caseId", "changedAt", "createdAt", "locationWithheld", "record", "version"], Names(body));
        Assert.Matches("^c[0-9a-z]{26}$", (string)body["caseId"]!);
        Assert.Equal(1, (long)body["version"]!);
        Assert.Equal(CaseApi.Now, DateTimeOffset.Parse((string)body["createdAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(CaseApi.Now, DateTimeOffset.Parse((string)body["changedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False((bool)body["locationWithheld"]!);
        AssertJsonEqual(record, body["record"]);
        var name = body["record"]!["child"]!["name"]!;
        Assert.Equal("𠮷野", (string)name["family"]!, StringComparer.Ordinal);
        Assert.Equal("か\u3099ん", (string)name["given"]!, StringComparer.Ordinal);
        Assert.Equal("ﾖｼﾉ", (string)name["familyKana"]!, StringComparer.Ordinal);
        Assert.Equal("ｶﾞﾝ", (string)name["givenKana"]!, StringComparer.Ordinal);
    }

    [Fact]
    public async Task GetAnswersTheCaseAsCreatedWithTheSameETag()
    {
        await using var api = await CaseApi.StartAsync();
        using var created = await api.CreateAsync(FullRecord());
        var createdBody = await CaseApi.BodyAsync(created);

        using var response = await api.GetAsync((string)createdBody["caseId"]!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(V1, CaseApi.ETag(response));
        AssertJsonEqual(createdBody, await CaseApi.BodyAsync(response));
    }

    [Theory]
    [InlineData("well-formed")]
    [InlineData("abc")]
    [InlineData("..%2Fx")]
    [InlineData("upper-case")]
    public async Task GetOfAnUnknownOrMalformedCaseIdIsNotFound(string kind)
    {
        await using var api = await CaseApi.StartAsync();
        await api.CreateIdAsync(CaseApi.ValidRecord());
        var caseId = kind switch
        {
            "well-formed" => CaseIds.New(),
            "upper-case" => CaseIds.New().ToUpperInvariant(),
            _ => kind,
        };

        using var response = await api.GetAsync(caseId);

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
    }

    // ---- Who may call ----

    [Theory]
    [InlineData("POST", "api/cases")]
    [InlineData("GET", "api/cases/{id}")]
    [InlineData("PATCH", "api/cases/{id}")]
    [InlineData("GET", "api/cases?status=accepted")]
    [InlineData("GET", "api/cases/{id}/history")]
    [InlineData("POST", "api/cases/search")]
    public async Task AnonymousCallerIsUnauthenticatedOnEveryCaseEndpoint(string method, string path)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        var target = path.Replace("{id}", caseId, StringComparison.Ordinal);
        HttpContent? content = method switch
        {
            "PATCH" => CaseApi.Json(new JsonObject { ["reason"] = "理由", ["changes"] = new JsonObject { ["notes"] = "メモ" } }),
            "POST" when path.EndsWith("search", StringComparison.Ordinal) => CaseApi.Json(new JsonObject { ["birthDate"] = "2016-04-01" }),
            "POST" => CaseApi.Json(new JsonObject { ["record"] = CaseApi.ValidRecord() }),
            _ => null,
        };

        using var response = await api.SendAsync(new HttpMethod(method), target, person: null, content, request => request.Headers.TryAddWithoutValidation("If-Match", V1));

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.Unauthenticated, ProblemLanguage.Japanese, instance: "/" + target.Split('?')[0]);
        using var list = await api.ListAsync("?status=accepted");
        Assert.Single((await CaseApi.BodyAsync(list))["cases"]!.AsArray());
    }

    [Theory]
    [InlineData("Development coordinator-sato")]
    [InlineData("SubmissionKey sk_aaaaaaaaaa_bbb")]
    [InlineData("Basic Y29vcmRpbmF0b3I6c2F0bw==")]
    [InlineData("Development ")]
    [InlineData("Development Coordinator-Sato")]
    [InlineData("development coordinator-sato")]
    [InlineData("Bearer coordinator-sato")]
    public async Task UnknownOrMalformedCredentialsAreUnauthenticated(string authorization)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.SendAsync(HttpMethod.Get, "api/cases/" + caseId, person: null, arrange: request => request.Headers.TryAddWithoutValidation("Authorization", authorization));

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.Unauthenticated, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
    }

    [Theory]
    [InlineData("teacher-tanaka")]
    [InlineData("jisou-ito")]
    [InlineData("admin-kobayashi")]
    [InlineData("auditor-watanabe")]
    public async Task OnlyCoordinatorsMayRegisterCases(string person)
    {
        await using var api = await CaseApi.StartAsync();

        using var response = await api.CreateAsync(CaseApi.ValidRecord(), person);

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.Forbidden, ProblemLanguage.Japanese, instance: "/api/cases");
        await AssertNothingStoredAsync(api);
    }

    [Theory]
    [InlineData("teacher-tanaka")]
    [InlineData("jisou-ito")]
    [InlineData("admin-kobayashi")]
    [InlineData("auditor-watanabe")]
    public async Task OnlyCoordinatorsMaySearchForChildren(string person)
    {
        await using var api = await CaseApi.StartAsync();
        await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.SearchAsync(new JsonObject { ["birthDate"] = "2016-04-01" }, person);

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.Forbidden, ProblemLanguage.Japanese, instance: "/api/cases/search");
    }

    [Theory]
    [InlineData("admin-kobayashi")]
    [InlineData("auditor-watanabe")]
    public async Task AdminsAndAuditorsSeeNoCaseContents(string person)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var get = await api.GetAsync(caseId, person);
        using var history = await api.HistoryAsync(caseId, person: person);
        using var list = await api.ListAsync("?status=accepted", person);

        (await ObservedResponse.FromAsync(get)).AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
        (await ObservedResponse.FromAsync(history)).AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: $"/api/cases/{caseId}/history");
        (await ObservedResponse.FromAsync(list)).AssertProblem(ProblemCatalogue.Forbidden, ProblemLanguage.Japanese, instance: "/api/cases");
    }

    [Fact]
    public async Task MemberOfTheKeyAgencyReadsTheCase()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        CaseApi.NameDemoStaff(record);
        var caseId = await api.CreateIdAsync(record);

        using var response = await api.GetAsync(caseId, "teacher-tanaka");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(V1, CaseApi.ETag(response));
        var body = await CaseApi.BodyAsync(response);
        Assert.Equal(caseId, (string)body["caseId"]!);
        Assert.Equal("minami-shogakko", (string)body["record"]!["keyAgencyId"]!);
    }

    [Fact]
    public async Task CaseOfAnotherAgencyAnswersExactlyLikeAMissingCase()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        CaseApi.NameDemoStaff(record);
        var caseId = await api.CreateIdAsync(record);
        var missingId = CaseIds.New();

        using var hidden = await api.GetAsync(caseId, "nursery-yamada");
        using var missing = await api.GetAsync(missingId, "nursery-yamada");
        using var hiddenHistory = await api.HistoryAsync(caseId, person: "nursery-yamada");

        var hiddenObserved = await ObservedResponse.FromAsync(hidden);
        var missingObserved = await ObservedResponse.FromAsync(missing);
        hiddenObserved.AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
        missingObserved.AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: "/api/cases/" + missingId);
        Assert.Equal(WithoutRequestIdAndInstance(missingObserved.Body), WithoutRequestIdAndInstance(hiddenObserved.Body));
        Assert.Equal(missingObserved.Headers["Content-Type"], hiddenObserved.Headers["Content-Type"]);
        (await ObservedResponse.FromAsync(hiddenHistory)).AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: $"/api/cases/{caseId}/history");
    }

    /// <summary>"Today" is Japan's: at 00:30 on 16 June in Japan it is still 15 June in UTC.</summary>
    [Theory]
    [InlineData("2025-04-01", "2025-06-15", false)] // ended yesterday in Japan (today in UTC)
    [InlineData("2025-04-01", "2025-06-16", true)] // ends today
    [InlineData("2025-04-01", null, true)]
    [InlineData("2025-06-16", null, true)] // starts today
    [InlineData("2025-06-17", null, false)] // starts tomorrow
    public async Task ParticipationShowsTheCaseOnlyOnTheDaysItCovers(string from, string? to, bool visible)
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["participants"] = new JsonArray(Participation("hikari-hoikuen", from, to));
        CaseApi.NameDemoStaff(record);
        var caseId = await api.CreateIdAsync(record);

        using var response = await api.GetAsync(caseId, "nursery-yamada");

        if (visible)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        else
        {
            (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
        }
    }

    // ---- Where the child lives ----

    [Theory]
    [InlineData("coordinator-sato", false, true)]
    [InlineData("jisou-ito", false, true)] // lead agency
    [InlineData("teacher-tanaka", false, true)] // key agency
    [InlineData("nurse-suzuki", false, false)] // participant only
    [InlineData("coordinator-sato", true, true)]
    [InlineData("jisou-ito", true, false)]
    [InlineData("teacher-tanaka", true, false)]
    [InlineData("nurse-suzuki", true, false)]
    public async Task LocationIsShownToCoordinatorsAndTheLeadAndKeyAgenciesAndUnderSecrecyToCoordinatorsOnly(string person, bool secrecy, bool seesLocation)
    {
        await using var api = await CaseApi.StartAsync();
        var record = RecordWithLocation();
        record["locationSecrecy"] = secrecy;
        var caseId = await api.CreateIdAsync(record);

        using var response = await api.GetAsync(caseId, person);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await CaseApi.BodyAsync(response);
        Assert.Equal(!seesLocation, (bool)body["locationWithheld"]!);
        var expected = record.DeepClone().AsObject();
        if (!seesLocation)
        {
            expected.Remove("location");
        }

        var own = Serverless.DevHost.DemoPeople.Person(person).AgencyId;
        if (secrecy && own != (string)record["leadAgencyId"]! && Serverless.DevHost.DemoPeople.Person(person).Role != Serverless.Identity.CallerRole.Coordinator)
        {
            // Under secrecy a member outside the lead agency sees, of the agencies, only the lead and their own (LocationSecrecyAreaTests).
            bool Shown(JsonNode? agency) => (string?)agency == (string)record["leadAgencyId"]! || (string?)agency == own;
            if (!Shown(expected["keyAgencyId"]))
            {
                expected.Remove("keyAgencyId");
            }

            expected["participants"] = new JsonArray([.. expected["participants"]!.AsArray().Where(item => Shown(item!["agencyId"])).Select(item => item!.DeepClone())]);
            expected["staff"] = new JsonArray([.. expected["staff"]!.AsArray().Where(item => Shown(item!["agencyId"])).Select(item => item!.DeepClone())]);
        }

        AssertRecordAsSent(expected, body["record"]);
    }

    [Fact]
    public async Task HistorySnapshotsWithholdTheLocationLikeTheCase()
    {
        await using var api = await CaseApi.StartAsync();
        var record = RecordWithLocation();
        record.Remove("location");
        var caseId = await api.CreateIdAsync(record);
        using var patched = await api.PatchAsync(caseId, V1, "転居を確認", new JsonObject { ["location"] = Location() });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var nurse = await HistoryVersionsAsync(api, caseId, "nurse-suzuki");
        var teacher = await HistoryVersionsAsync(api, caseId, "teacher-tanaka");
        var coordinator = await HistoryVersionsAsync(api, caseId, CaseApi.Coordinator);

        // Version 2 has a location the nurse may not see; version 1 had none, so nothing is withheld there.
        Assert.Equal([true, false], nurse.Select(version => (bool)version!["locationWithheld"]!));
        Assert.All(nurse, version => Assert.False(version!["record"]!.AsObject().ContainsKey("location")));
        foreach (var versions in new[] { teacher, coordinator })
        {
            Assert.Equal([false, false], versions.Select(version => (bool)version!["locationWithheld"]!));
            AssertJsonEqual(Location(), versions[0]!["record"]!["location"]);
            Assert.False(versions[1]!["record"]!.AsObject().ContainsKey("location"));
        }
    }

    /// <summary>所在秘匿 decided today covers the address the earlier versions hold: the family may still live there.</summary>
    [Theory]
    [InlineData("jisou-ito")]
    [InlineData("teacher-tanaka")]
    public async Task HistoryWithholdsEveryEarlierLocationOnceTheCaseIsUnderSecrecy(string person)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(RecordWithLocation());
        using var patched = await api.PatchAsync(caseId, V1, "DV被害により所在秘匿", new JsonObject { ["locationSecrecy"] = true });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var versions = await HistoryVersionsAsync(api, caseId, person);
        var coordinator = await HistoryVersionsAsync(api, caseId, CaseApi.Coordinator);

        Assert.Equal([true, true], versions.Select(version => (bool)version!["locationWithheld"]!));
        Assert.All(versions, version => Assert.False(version!["record"]!.AsObject().ContainsKey("location")));
        Assert.All(coordinator, version => AssertJsonEqual(Location(), version!["record"]!["location"]));
    }

    /// <summary>Under 所在秘匿 (and for a participant, who never sees the address), "$.location.address" among a version's
    /// changed fields, or the reason that explains it, would tell a member the child moved. A version that changed only the
    /// location stays listed (the case's version number is visible anyway) with no fields and no reason; one that changed
    /// more lists the rest, without its reason (<c>reasonWithheld: true</c>). Under secrecy every reason is withheld, as on
    /// the timeline.</summary>
    [Theory]
    [InlineData("jisou-ito", true)]
    [InlineData("teacher-tanaka", true)]
    [InlineData("nurse-suzuki", false)]
    public async Task HistoryDoesNotTellACallerWhoMayNotSeeTheLocationThatItChanged(string person, bool secrecy)
    {
        await using var api = await CaseApi.StartAsync();
        var record = RecordWithLocation();
        record["locationSecrecy"] = secrecy;
        var caseId = await api.CreateIdAsync(record);
        using var moved = await api.PatchAsync(caseId, V1, "転居を確認（北町へ）", new JsonObject { ["location"] = new JsonObject { ["address"] = "みどり市北町１丁目" } });
        using var movedAndReviewed = await api.PatchAsync(caseId, V2, "再度の転居と見直し日", new JsonObject { ["location"] = new JsonObject { ["schoolDistrict"] = "北小学校区" }, ["nextReviewDate"] = "2025-09-16" });
        using var reviewed = await api.PatchAsync(caseId, "\"v3\"", "見直し日の変更", new JsonObject { ["nextReviewDate"] = "2025-10-16" });
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (moved.StatusCode, movedAndReviewed.StatusCode, reviewed.StatusCode));

        var versions = await HistoryVersionsAsync(api, caseId, person);
        var coordinator = await HistoryVersionsAsync(api, caseId, CaseApi.Coordinator);

        Assert.Equal([4L, 3L, 2L, 1L], versions.Select(version => (long)version!["version"]!));
        AssertJsonEqual(new JsonArray("$.nextReviewDate"), versions[1]!["changedFields"]);
        AssertJsonEqual(new JsonArray(), versions[2]!["changedFields"]);
        Assert.All(versions.Skip(1), version => Assert.Null(version!["reason"]));
        Assert.Equal([true, true], versions.Skip(1).Take(2).Select(version => (bool?)version!["reasonWithheld"]));
        // Under secrecy every reason is withheld, as on the timeline; a participant reads the reason of a change elsewhere.
        Assert.Equal(secrecy ? null : "見直し日の変更", (string?)versions[0]!["reason"]);
        Assert.Equal(secrecy ? true : null, (bool?)versions[0]!["reasonWithheld"]);
        Assert.DoesNotContain("location.", versions.ToJsonString(), StringComparison.Ordinal);
        AssertJsonEqual(new JsonArray("$.location.address"), coordinator[2]!["changedFields"]);
        Assert.Equal("転居を確認（北町へ）", (string?)coordinator[2]!["reason"]);
        Assert.All(coordinator, version => Assert.Null(version!["reasonWithheld"]));
    }

    // ---- Validation on registration ----

    [Theory]
    [InlineData("birth-date-tomorrow", "$.record.child.birthDate", "future-date")]
    [InlineData("family-name-51", "$.record.child.name.family", "too-long")]
    [InlineData("lead-agency-school", "$.record.leadAgencyId", "lead-agency-kind")]
    [InlineData("lead-agency-unknown", "$.record.leadAgencyId", "unknown-agency")]
    [InlineData("key-agency-unknown", "$.record.keyAgencyId", "unknown-agency")]
    [InlineData("participant-unknown", "$.record.participants[0].agencyId", "unknown-agency")]
    [InlineData("participant-to-before-from", "$.record.participants[0].to", "date-order")]
    [InlineData("no-child", "$.record.child", "required")]
    [InlineData("expectant-mother-without-mother", "$.record.expectantMother", "required")]
    [InlineData("closed-at-creation", "$.record.status", "invalid-transition")]
    [InlineData("control-character", "$.record.child.name.given", "control-characters")]
    [InlineData("household-21", "$.record.household", "too-many")]
    [InlineData("previous-closures", "$.record.previousClosures", "server-managed")]
    public async Task InvalidRecordIsRefusedWithItsFieldAndRuleAndNothingIsStored(string mistake, string field, string code)
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        var child = record["child"]!.AsObject();
        switch (mistake)
        {
            case "birth-date-tomorrow": child["birthDate"] = "2025-06-17"; break;
            case "family-name-51": child["name"]!["family"] = new string('あ', 51); break;
            case "lead-agency-school": record["leadAgencyId"] = "minami-shogakko"; break;
            case "lead-agency-unknown": record["leadAgencyId"] = "no-such-agency"; break;
            case "key-agency-unknown": record["keyAgencyId"] = "no-such-agency"; break;
            case "participant-unknown": record["participants"] = new JsonArray(Participation("no-such-agency", "2025-04-01", null)); break;
            case "participant-to-before-from": record["participants"] = new JsonArray(Participation("minami-shogakko", "2025-04-01", "2025-03-31")); break;
            case "no-child": record.Remove("child"); break;
            case "expectant-mother-without-mother": record["category"] = "expectant-mother"; record.Remove("child"); break;
            case "closed-at-creation": record["status"] = "closed"; record["closure"] = Closure("improved"); break;
            case "control-character": child["name"]!["given"] = "太\u0007郎"; break;
            case "household-21": record["household"] = new JsonArray([.. Enumerable.Range(0, 21).Select(_ => Guardian("ハハ"))]); break;
            case "previous-closures": record["previousClosures"] = new JsonArray(Closure("improved")); break;
            default: throw new ArgumentOutOfRangeException(nameof(mistake));
        }

        using var response = await api.CreateAsync(record);

        await CaseApi.ValidationErrorsAsync(response, (field, code));
        await AssertNothingStoredAsync(api);
    }

    [Fact]
    public async Task BirthDateOfTodayInJapanIsAcceptedThoughItIsTomorrowInUtc()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["child"]!["birthDate"] = "2025-06-16";

        using var response = await api.CreateAsync(record);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task NameLengthsCountCharactersAsSeenSoFiftyOfAFourByteKanjiFit()
    {
        await using var api = await CaseApi.StartAsync();
        var fifty = string.Concat(Enumerable.Repeat("𠮷", 50));
        var record = CaseApi.ValidRecord();
        record["child"]!["name"]!["family"] = fifty;

        using var fits = await api.CreateAsync(record);
        record["child"]!["name"]!["family"] = fifty + "𠮷";
        using var tooLong = await api.CreateAsync(record);

        Assert.Equal(HttpStatusCode.Created, fits.StatusCode);
        Assert.Equal(fifty, (string)(await CaseApi.BodyAsync(fits))["record"]!["child"]!["name"]!["family"]!, StringComparer.Ordinal);
        await CaseApi.ValidationErrorsAsync(tooLong, ("$.record.child.name.family", "too-long"));
    }

    [Fact]
    public async Task EveryProblemInARecordIsReportedAtOnce()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["child"]!["birthDate"] = "2025-06-17";
        record["leadAgencyId"] = "hikari-hoikuen";
        record["notes"] = "改行は可\n制御文字\u0000は不可";

        using var response = await api.CreateAsync(record);

        await CaseApi.ValidationErrorsAsync(
            response,
            ("$.record.child.birthDate", "future-date"),
            ("$.record.leadAgencyId", "lead-agency-kind"),
            ("$.record.notes", "control-characters"));
    }

    [Theory]
    [InlineData(null, "ja", "入力内容に誤りがあります", "未来の日付は指定できません。", "50文字以内で入力してください。")]
    [InlineData("en", "en", "Some fields are not valid", "The date cannot be in the future.", "Use at most 50 characters.")]
    public async Task FieldErrorMessagesAreJapaneseByDefaultAndEnglishWhenAsked(string? acceptLanguage, string contentLanguage, string title, string futureDate, string tooLong)
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["child"]!["birthDate"] = "2025-06-17";
        record["child"]!["name"]!["family"] = new string('あ', 51);

        using var response = await api.CreateAsync(record, language: acceptLanguage);

        Assert.Equal(contentLanguage, Assert.Single(response.Content.Headers.ContentLanguage));
        var errors = await CaseApi.ValidationErrorsAsync(response, ("$.record.child.name.family", "too-long"), ("$.record.child.birthDate", "future-date"));
        Assert.Equal([tooLong, futureDate], errors.Select(error => (string)error!["message"]!));
        Assert.Equal(["code", "field", "message"], Names(errors[0]!.AsObject()));
        Assert.Equal(title, (string)(await CaseApi.BodyAsync(response))["title"]!);
    }

    [Theory]
    [InlineData("\"orphan\"")]
    [InlineData("\"\"")]
    [InlineData("7")]
    [InlineData("1")]
    [InlineData("\"1\"")]
    [InlineData("null")]
    public async Task CategoryThatIsNotOneOfTheNamedValuesIsInvalidJson(string category)
    {
        await using var api = await CaseApi.StartAsync();
        var body = $$$"""{"record":{"category":{{{category}}},"child":{"name":{"familyKana":"テスト"}},"leadAgencyId":"midori-kodomo-ka"}}""";

        using var response = await api.SendAsync(HttpMethod.Post, "api/cases", CaseApi.Coordinator, new StringContent(body, Encoding.UTF8, "application/json"));

        (await ObservedResponse.FromAsync(response)).AssertProblem(
            ProblemCatalogue.InvalidJson, ProblemLanguage.Japanese, instance: "/api/cases", detail: "本文の $.record.category (行 1) をJSONとして読めませんでした。");
        await AssertNothingStoredAsync(api);
    }

    [Theory]
    [InlineData("{", "$")]
    [InlineData("[]", "$")]
    [InlineData("""{"record":{"category":"requiring-protection","nickname":"たろちゃん","leadAgencyId":"midori-kodomo-ka"}}""", "$.record.nickname")]
    [InlineData("""{"record":{"category":"requiring-protection","leadAgencyId":"midori-kodomo-ka"},"confirmed":[]}""", "$.confirmed")]
    [InlineData("""{"record":{"category":"requiring-protection"}}""", "$.record")] // leadAgencyId missing
    [InlineData("""{"record":{"category":"requiring-protection","leadAgencyId":"midori-kodomo-ka","child":{"birthDate":"2016/04/01","name":{}}}}""", "$.record.child.birthDate")]
    public async Task BodyThatIsNotACaseRequestIsInvalidJsonNamingWhere(string body, string path)
    {
        await using var api = await CaseApi.StartAsync();

        using var response = await api.SendAsync(HttpMethod.Post, "api/cases", CaseApi.Coordinator, new StringContent(body, Encoding.UTF8, "application/json"));

        (await ObservedResponse.FromAsync(response)).AssertProblem(
            ProblemCatalogue.InvalidJson, ProblemLanguage.Japanese, instance: "/api/cases", detail: $"本文の {path} (行 1) をJSONとして読めませんでした。");
        await AssertNothingStoredAsync(api);
    }

    [Fact]
    public async Task BodyThatIsNotJsonIsAnUnsupportedMediaType()
    {
        await using var api = await CaseApi.StartAsync();
        var json = new JsonObject { ["record"] = CaseApi.ValidRecord() }.ToJsonString();

        using var response = await api.SendAsync(HttpMethod.Post, "api/cases", CaseApi.Coordinator, new StringContent(json, Encoding.UTF8, "text/plain"));

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.UnsupportedMediaType, ProblemLanguage.Japanese, instance: "/api/cases");
        await AssertNothingStoredAsync(api);
    }

    [Fact]
    public async Task BodyOver256KiBIsTooLarge()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["notes"] = new string('a', 256 * 1024);

        using var response = await api.CreateAsync(record);

        (await ObservedResponse.FromAsync(response)).AssertProblem(
            ProblemCatalogue.BodyTooLarge, ProblemLanguage.Japanese, instance: "/api/cases", detail: "本文が上限の 262144 バイトを超えています。");
        await AssertNothingStoredAsync(api);
    }

    // ---- Changing a case ----

    [Fact]
    public async Task PatchSavesTheChangeAsTheNextVersion()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, V1, "実務者会議で次回見直し日を決定", new JsonObject { ["nextReviewDate"] = "2025-09-16" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(V2, CaseApi.ETag(response));
        var body = await CaseApi.BodyAsync(response);
        Assert.Equal(2, (long)body["version"]!);
        Assert.Equal("2025-09-16", (string)body["record"]!["nextReviewDate"]!);
        using var get = await api.GetAsync(caseId);
        Assert.Equal(V2, CaseApi.ETag(get));
        AssertJsonEqual(body, await CaseApi.BodyAsync(get));
    }

    [Fact]
    public async Task PatchWithoutIfMatchIsPreconditionRequired()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, etag: null, "理由", new JsonObject { ["notes"] = "メモ" });

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.PreconditionRequired, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
        await AssertVersionAsync(api, caseId, 1);
    }

    [Theory]
    [InlineData("*", 428)]
    [InlineData("W/\"v1\"", 412)]
    [InlineData("\"1\"", 412)]
    [InlineData("v1", 412)]
    [InlineData("\"v01x\"", 412)]
    public async Task IfMatchThatNamesNoVersionOfOursNeverMatches(string ifMatch, int status)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, ifMatch, "理由", new JsonObject { ["notes"] = "メモ" });

        var observed = await ObservedResponse.FromAsync(response);
        observed.AssertProblem(status == 428 ? ProblemCatalogue.PreconditionRequired : ProblemCatalogue.PreconditionFailed, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
        Assert.Equal(status == 428 ? null : V1, CaseApi.ETag(response));
        await AssertVersionAsync(api, caseId, 1);
    }

    [Fact]
    public async Task PatchFromAStaleVersionIsPreconditionFailedWithTheCurrentETag()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        using var first = await api.PatchAsync(caseId, V1, "一人目", new JsonObject { ["notes"] = "一人目の変更" });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        using var second = await api.PatchAsync(caseId, V1, "二人目", new JsonObject { ["notes"] = "二人目の変更" });

        (await ObservedResponse.FromAsync(second)).AssertProblem(ProblemCatalogue.PreconditionFailed, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
        Assert.Equal(V2, CaseApi.ETag(second));
        using var get = await api.GetAsync(caseId);
        Assert.Equal(V2, CaseApi.ETag(get));
        Assert.Equal("一人目の変更", (string)(await CaseApi.BodyAsync(get))["record"]!["notes"]!);
    }

    [Theory]
    [InlineData("nursery-yamada")]
    [InlineData("admin-kobayashi")]
    [InlineData("auditor-watanabe")]
    public async Task PatchOfACaseTheCallerMayNotSeeIsNotFoundWhateverElseIsWrong(string person)
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        CaseApi.NameDemoStaff(record);
        var caseId = await api.CreateIdAsync(record);

        using var response = await api.PatchRawAsync(caseId, etag: null, new StringContent("{not json", Encoding.UTF8, "application/json"), person);

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
        await AssertVersionAsync(api, caseId, 1);
    }

    [Fact]
    public async Task PatchOfAMissingCaseIsNotFoundBeforeTheBodyIsJudged()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = CaseIds.New();

        using var response = await api.PatchRawAsync(caseId, etag: null, new StringContent("<xml/>", Encoding.UTF8, "application/xml"));

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
    }

    [Fact]
    public async Task MemberWhoSeesACaseMayNotChangeIt()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = "minami-shogakko";
        CaseApi.NameDemoStaff(record);
        var caseId = await api.CreateIdAsync(record);

        using var response = await api.PatchAsync(caseId, V1, "学校から修正", new JsonObject { ["notes"] = "学校の所見" }, "teacher-tanaka");

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.Forbidden, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId);
        await AssertVersionAsync(api, caseId, 1);
    }

    [Fact]
    public async Task PatchWithoutAReasonMemberIsInvalidJson()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, V1, reason: null, new JsonObject { ["notes"] = "メモ" });

        (await ObservedResponse.FromAsync(response)).AssertProblem(
            ProblemCatalogue.InvalidJson, ProblemLanguage.Japanese, instance: "/api/cases/" + caseId, detail: "本文の $ (行 1) をJSONとして読めませんでした。");
        await AssertVersionAsync(api, caseId, 1);
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("   ", "required")]
    [InlineData("long", "too-long")]
    [InlineData("bell\u0007", "control-characters")]
    public async Task PatchReasonIsRequiredAndLimited(string reason, string code)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, V1, reason == "long" ? new string('理', 501) : reason, new JsonObject { ["notes"] = "メモ" });

        await CaseApi.ValidationErrorsAsync(response, ("$.reason", code));
        await AssertVersionAsync(api, caseId, 1);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"neglect\"]")]
    public async Task PrimaryAbuseTypeOutsideTheAbuseTypesIsRefused(string abuseTypes)
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["abuseTypes"] = JsonNode.Parse(abuseTypes);
        record["primaryAbuseType"] = "physical";

        using var response = await api.CreateAsync(record);

        await CaseApi.ValidationErrorsAsync(response, ("$.record.primaryAbuseType", "not-in-abuse-types"));
        await AssertNothingStoredAsync(api);
    }

    [Fact]
    public async Task PrimaryAbuseTypeIsSetByPatchAndRemovingItFromTheAbuseTypesIsRefused()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["abuseTypes"] = new JsonArray("physical", "neglect");
        var caseId = await api.CreateIdAsync(record);

        using var set = await api.PatchAsync(caseId, V1, "実務者会議で主たる虐待種別を決定", new JsonObject { ["primaryAbuseType"] = "neglect" });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal("neglect", (string?)(await CaseApi.BodyAsync(set))["record"]!["primaryAbuseType"]);

        using var removed = await api.PatchAsync(caseId, CaseApi.ETag(set), "種別の見直し", new JsonObject { ["abuseTypes"] = new JsonArray("physical") });
        await CaseApi.ValidationErrorsAsync(removed, ("$.changes.primaryAbuseType", "not-in-abuse-types"));
        await AssertVersionAsync(api, caseId, 2);
    }

    [Fact]
    public async Task PatchReasonOfFiveHundredCharactersOnTwoLinesIsAccepted()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        var reason = new string('理', 250) + "\n" + new string('由', 249);

        using var response = await api.PatchAsync(caseId, V1, reason, new JsonObject { ["notes"] = "メモ" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var versions = await HistoryVersionsAsync(api, caseId, CaseApi.Coordinator);
        Assert.Equal(reason, (string)versions[0]!["reason"]!, StringComparer.Ordinal);
    }

    [Fact]
    public async Task PreviousClosuresAreManagedByTheServer()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, V1, "理由", new JsonObject { ["previousClosures"] = new JsonArray(Closure("improved")) });

        await CaseApi.ValidationErrorsAsync(response, ("$.changes.previousClosures", "server-managed"));
        await AssertVersionAsync(api, caseId, 1);
    }

    [Theory]
    [InlineData("""{"nickname":"たろちゃん"}""", "$.changes.nickname", "invalid-value")]
    [InlineData("""{"riskLevel":"extreme"}""", "$.changes.riskLevel", "invalid-value")]
    [InlineData("""{"child":{"birthDate":"2025-06-17"}}""", "$.changes.child.birthDate", "future-date")]
    [InlineData("""{"leadAgencyId":"hikari-hoikuen"}""", "$.changes.leadAgencyId", "lead-agency-kind")]
    public async Task PatchThatWouldLeaveAnInvalidRecordIsRefused(string changes, string field, string code)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, V1, "理由", JsonNode.Parse(changes)!);

        await CaseApi.ValidationErrorsAsync(response, (field, code));
        await AssertVersionAsync(api, caseId, 1);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"category":"requiring-protection","child":{"birthDate":"2016-04-01"}}""")]
    public async Task PatchWithNoEffectiveChangeKeepsTheVersion(string changes)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, V1, "確認のみ", JsonNode.Parse(changes)!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(V1, CaseApi.ETag(response));
        Assert.Equal(1, (long)(await CaseApi.BodyAsync(response))["version"]!);
        Assert.Equal([1L], (await HistoryVersionsAsync(api, caseId, CaseApi.Coordinator)).Select(version => (long)version!["version"]!));
    }

    // ---- Status: accepted → registered → closed, and reopening ----

    [Fact]
    public async Task CaseIsRegisteredClosedAtAMeetingAndReopenedWithItsClosureKept()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        var closure = Closure("improved");

        using var registered = await api.PatchAsync(caseId, V1, "受理会議で登録", new JsonObject { ["status"] = "registered" });
        using var closed = await api.PatchAsync(caseId, V2, "実務者会議で終結", new JsonObject { ["status"] = "closed", ["closure"] = closure.DeepClone() });
        using var reopened = await api.PatchAsync(caseId, "\"v3\"", "再通告により再開", new JsonObject { ["status"] = "accepted" });

        Assert.Equal("registered", (string)(await CaseApi.BodyAsync(registered))["record"]!["status"]!);
        var closedRecord = (await CaseApi.BodyAsync(closed))["record"]!;
        Assert.Equal("closed", (string)closedRecord["status"]!);
        AssertJsonEqual(closure, closedRecord["closure"]);
        Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
        Assert.Equal("\"v4\"", CaseApi.ETag(reopened));
        var reopenedRecord = (await CaseApi.BodyAsync(reopened))["record"]!.AsObject();
        Assert.Equal("accepted", (string)reopenedRecord["status"]!);
        Assert.False(reopenedRecord.ContainsKey("closure"));
        AssertJsonEqual(new JsonArray(closure.DeepClone()), reopenedRecord["previousClosures"]);

        var versions = await HistoryVersionsAsync(api, caseId, CaseApi.Coordinator);
        Assert.Equal([4L, 3L, 2L, 1L], versions.Select(version => (long)version!["version"]!));
        Assert.Equal(["accepted", "closed", "registered", "accepted"], versions.Select(version => (string)version!["record"]!["status"]!));
        Assert.Equal(
            ["$.closure $.previousClosures $.status", "$.closure $.status", "$.status", ""],
            versions.Select(version => string.Join(' ', version!["changedFields"]!.AsArray().Select(path => (string)path!))));
        AssertJsonEqual(closure, versions[1]!["record"]!["closure"]);
    }

    [Fact]
    public async Task TransferToAnotherMunicipalityNamesTheReceivingMunicipality()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        var closure = Closure("transferred-to-another-municipality");

        using var withoutMunicipality = await api.PatchAsync(caseId, V1, "転居により移管", new JsonObject { ["status"] = "closed", ["closure"] = closure.DeepClone() });
        closure["transferredTo"] = "さくら市";
        using var withMunicipality = await api.PatchAsync(caseId, V1, "転居により移管", new JsonObject { ["status"] = "closed", ["closure"] = closure.DeepClone() });

        await CaseApi.ValidationErrorsAsync(withoutMunicipality, ("$.changes.closure.transferredTo", "required"));
        Assert.Equal(HttpStatusCode.OK, withMunicipality.StatusCode);
        AssertJsonEqual(closure, (await CaseApi.BodyAsync(withMunicipality))["record"]!["closure"]);
    }

    [Fact]
    public async Task ClosingWithoutAClosureIsRefused()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.PatchAsync(caseId, V1, "終結", new JsonObject { ["status"] = "closed" });

        await CaseApi.ValidationErrorsAsync(response, ("$.changes.closure", "required"));
        await AssertVersionAsync(api, caseId, 1);
    }

    [Fact]
    public async Task RegisteredCaseCannotGoBackToAccepted()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        record["status"] = "registered";
        var caseId = await api.CreateIdAsync(record);

        using var response = await api.PatchAsync(caseId, V1, "戻す", new JsonObject { ["status"] = "accepted" });

        var errors = await CaseApi.ValidationErrorsAsync(response, ("$.changes.status", "invalid-transition"));
        Assert.Equal("状態を「registered」から「accepted」には変更できません。", (string)errors[0]!["message"]!);
        await AssertVersionAsync(api, caseId, 1);
    }

    // ---- History ----

    [Fact]
    public async Task HistoryListsEveryVersionNewestFirstWithWhoWhyWhatAndTheRecordAsItWas()
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        var caseId = await api.CreateIdAsync(record);
        using var patched = await api.PatchAsync(caseId, V1, "実務者会議で次回見直し日を決定", new JsonObject { ["nextReviewDate"] = "2025-09-16" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        using var response = await api.HistoryAsync(caseId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await CaseApi.BodyAsync(response);
        Assert.Equal(["caseId", "versions"], Names(body));
        Assert.Equal(caseId, (string)body["caseId"]!);
        var versions = body["versions"]!.AsArray();
        Assert.Equal(2, versions.Count);
        var latest = versions[0]!.AsObject();
        Assert.Equal(["changedAt", "changedBy", "changedByAgency", "changedFields", "locationWithheld", "reason", "record", "version"], Names(latest));
        Assert.Equal(2, (long)latest["version"]!);
        Assert.Equal(Serverless.DevHost.DemoPeople.PersonId("coordinator-sato"), (string)latest["changedBy"]!);
        Assert.Equal("midori-kodomo-ka", (string)latest["changedByAgency"]!);
        Assert.Equal("実務者会議で次回見直し日を決定", (string)latest["reason"]!);
        AssertJsonEqual(new JsonArray("$.nextReviewDate"), latest["changedFields"]);
        Assert.Equal("2025-09-16", (string)latest["record"]!["nextReviewDate"]!);
        var first = versions[1]!.AsObject();
        Assert.Equal(["changedAt", "changedBy", "changedByAgency", "changedFields", "locationWithheld", "record", "version"], Names(first)); // no reason at registration
        Assert.Equal(1, (long)first["version"]!);
        Assert.Equal(Serverless.DevHost.DemoPeople.PersonId("coordinator-sato"), (string)first["changedBy"]!);
        AssertJsonEqual(new JsonArray(), first["changedFields"]);
        AssertRecordAsSent(record, first["record"]);
    }

    [Fact]
    public async Task HistoryPagesOneVersionAtATime()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());
        using var patched = await api.PatchAsync(caseId, V1, "見直し日", new JsonObject { ["nextReviewDate"] = "2025-09-16" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        using var firstPage = await api.HistoryAsync(caseId, "?pageSize=1");
        var first = await CaseApi.BodyAsync(firstPage);
        var token = (string)first["continuationToken"]!;
        using var secondPage = await api.HistoryAsync(caseId, "?pageSize=1&continuationToken=" + Uri.EscapeDataString(token));
        var second = await CaseApi.BodyAsync(secondPage);

        Assert.Equal([2L], first["versions"]!.AsArray().Select(version => (long)version!["version"]!));
        Assert.Equal([1L], second["versions"]!.AsArray().Select(version => (long)version!["version"]!));
        Assert.False(second.ContainsKey("continuationToken"));
    }

    [Theory]
    [InlineData("0", "out-of-range")]
    [InlineData("51", "out-of-range")]
    [InlineData("-1", "invalid-value")]
    [InlineData("ten", "invalid-value")]
    public async Task HistoryPageSizeIsFromOneToFifty(string pageSize, string code)
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.HistoryAsync(caseId, "?pageSize=" + pageSize);

        var errors = await CaseApi.ValidationErrorsAsync(response, ("$.pageSize", code));
        if (code == "out-of-range")
        {
            Assert.Equal("1から50の範囲で指定してください。", (string)errors[0]!["message"]!);
        }
    }

    [Fact]
    public async Task HistoryWithABadPageSizeOfAHiddenCaseIsStillNotFound()
    {
        await using var api = await CaseApi.StartAsync();
        var caseId = await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.HistoryAsync(caseId, "?pageSize=ten", "nursery-yamada");

        (await ObservedResponse.FromAsync(response)).AssertProblem(ProblemCatalogue.NotFound, ProblemLanguage.Japanese, instance: $"/api/cases/{caseId}/history");
    }

    // ---- Possible duplicates ----

    [Theory]
    [InlineData("half-width", "2016-04-01")]
    [InlineData("hiragana", "2016-04-01")]
    [InlineData("spaces", "2016-04-01")]
    [InlineData("half-width", null)]
    [InlineData("hiragana", null)]
    public async Task SameKanaNameWrittenDifferentlyWithoutAConflictingBirthDateIsAPossibleDuplicate(string writing, string? birthDate)
    {
        await using var api = await CaseApi.StartAsync();
        var first = CaseApi.ValidRecord();
        var firstId = await api.CreateIdAsync(first);
        var second = SameKanaDifferentKanji(first, writing, birthDate);

        using var response = await api.CreateAsync(second);

        var problem = await CaseApi.ProblemAsync(response, ProblemCatalogue.PossibleDuplicate);
        Assert.Equal(["candidateCaseIds", "code", "detail", "instance", "requestId", "status", "title", "type"], Names(problem));
        AssertJsonEqual(new JsonArray(firstId), problem["candidateCaseIds"]);
        await AssertCaseIdsAsync(api, firstId);
    }

    [Fact]
    public async Task PossibleDuplicateConfirmedAsAnotherChildIsRegistered()
    {
        await using var api = await CaseApi.StartAsync();
        var first = CaseApi.ValidRecord();
        var firstId = await api.CreateIdAsync(first);
        var second = SameKanaDifferentKanji(first, "hiragana", "2016-04-01");
        using var refused = await api.CreateAsync(second);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        using var response = await api.CreateAsync(second, confirmed: [firstId]);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var secondId = (string)(await CaseApi.BodyAsync(response))["caseId"]!;
        await AssertCaseIdsAsync(api, firstId, secondId);
    }

    [Fact]
    public async Task SameNameWithADifferentKnownBirthDateIsAnotherChild()
    {
        await using var api = await CaseApi.StartAsync();
        var first = CaseApi.ValidRecord();
        var firstId = await api.CreateIdAsync(first);

        using var response = await api.CreateAsync(SameKanaDifferentKanji(first, "half-width", "2017-05-02"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await AssertCaseIdsAsync(api, firstId, (string)(await CaseApi.BodyAsync(response))["caseId"]!);
    }

    // ---- Search ----

    [Theory]
    [InlineData("name", "name")]
    [InlineData("birth-date", "birth-date")]
    [InlineData("guardian", "guardian")]
    [InlineData("previous-name", "name")]
    public async Task CoordinatorFindsACaseByAnyOfTheChildsKnownFacts(string by, string matchedOn)
    {
        await using var api = await CaseApi.StartAsync();
        var record = CaseApi.ValidRecord();
        var familyKana = (string)record["child"]!["name"]!["familyKana"]!;
        record["child"]!["birthDate"] = "2014-02-28";
        record["child"]!["previousNames"] = new JsonArray(new JsonObject { ["familyKana"] = "キュウセイ" + familyKana, ["givenKana"] = "タロウ" });
        record["household"] = new JsonArray(Guardian(familyKana));
        var caseId = await api.CreateIdAsync(record);
        var criteria = by switch
        {
            "name" => new JsonObject { ["name"] = Written(familyKana, "half-width") + " " + Written("タロウ", "half-width") },
            "birth-date" => new JsonObject { ["birthDate"] = "2014-02-28" },
            "guardian" => new JsonObject { ["guardianName"] = Written(familyKana, "hiragana") + "　はなこ" },
            _ => new JsonObject { ["previousNames"] = new JsonArray("きゅうせい" + Written(familyKana, "hiragana") + " たろう") },
        };

        using var response = await api.SearchAsync(criteria);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await CaseApi.BodyAsync(response);
        Assert.Equal(["candidates"], Names(body));
        var candidate = Assert.Single(body["candidates"]!.AsArray())!.AsObject();
        Assert.Equal(["birthDateConflicts", "caseId", "matchedOn"], Names(candidate));
        Assert.Equal(caseId, (string)candidate["caseId"]!);
        AssertJsonEqual(new JsonArray(matchedOn), candidate["matchedOn"]);
        Assert.False((bool)candidate["birthDateConflicts"]!);
    }

    [Fact]
    public async Task SearchForAnotherChildFindsNothing()
    {
        await using var api = await CaseApi.StartAsync();
        await api.CreateIdAsync(CaseApi.ValidRecord());

        using var response = await api.SearchAsync(new JsonObject { ["name"] = "ベツジン ハナコ", ["birthDate"] = "2010-01-01" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty((await CaseApi.BodyAsync(response))["candidates"]!.AsArray());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"name":"  ","previousNames":[],"guardianName":""}""")]
    public async Task SearchWithoutAnyCriterionIsRefused(string criteria)
    {
        await using var api = await CaseApi.StartAsync();

        using var response = await api.SearchAsync(JsonNode.Parse(criteria)!);

        await CaseApi.ValidationErrorsAsync(response, ("$", "required"));
    }

    // ---- Helpers ----

    /// <summary>A record with every field written out, so the answer must equal it as sent: 𠮷 (beyond the
    /// BMP), half-width kana, combining marks and full-width digits stay exactly as they are.</summary>
    private static JsonObject FullRecord()
    {
        var record = CaseApi.ValidRecord();
        record["status"] = "accepted";
        record["previousClosures"] = new JsonArray();
        record["abuseTypes"] = new JsonArray("physical", "psychological");
        record["primaryAbuseType"] = "psychological";
        record["mainAbuserRelationship"] = "stepfather";
        record["referralRoute"] = "school";
        record["riskLevel"] = "high";
        record["urgency"] = "within48-hours";
        record["child"] = new JsonObject
        {
            ["name"] = new JsonObject { ["family"] = "𠮷野", ["given"] = "か\u3099ん", ["familyKana"] = "ﾖｼﾉ", ["givenKana"] = "ｶﾞﾝ" },
            ["previousNames"] = new JsonArray(new JsonObject { ["family"] = "髙橋", ["familyKana"] = "タカハシ", ["latinName"] = "Ame\u0301lie" }),
            ["aliases"] = new JsonArray("よっちゃん"),
            ["birthDate"] = "2016-04-01",
            ["sex"] = "female",
        };
        record["household"] = new JsonArray(Guardian("ヨシノ"));
        record["siblingCaseIds"] = new JsonArray();
        record["keyAgencyId"] = "minami-shogakko";
        record["participants"] = new JsonArray(Participation("minami-shogakko", "2025-04-01", null), Participation("midori-hoken-center", "2024-04-01", "2026-03-31"));
        CaseApi.NameDemoStaff(record);
        record["barredPersonIds"] = new JsonArray();
        record["nextReviewDate"] = "2025-09-16";
        record["location"] = Location();
        record["locationSecrecy"] = false;
        record["notes"] = "登校時に腕にあざ。\n本人は「転んだ」と話した。\tＡ組 №１";
        return record;
    }

    /// <summary>Led by the child guidance centre, the school as key agency, the health centre taking part.</summary>
    private static JsonObject RecordWithLocation()
    {
        var record = CaseApi.ValidRecord();
        record["leadAgencyId"] = "chuo-jisou";
        record["keyAgencyId"] = "minami-shogakko";
        record["participants"] = new JsonArray(Participation("midori-hoken-center", "2025-04-01", null));
        CaseApi.NameDemoStaff(record);
        record["location"] = Location();
        return record;
    }

    private static JsonObject Location() => new() { ["address"] = "みどり市南町２丁目３−４ 𠮷田荘101", ["schoolDistrict"] = "南小学校区" };

    private static JsonObject Participation(string agencyId, string from, string? to)
    {
        var participation = new JsonObject { ["agencyId"] = agencyId, ["from"] = from };
        if (to is not null)
        {
            participation["to"] = to;
        }

        return participation;
    }

    private static JsonObject Guardian(string familyKana) => new()
    {
        ["name"] = new JsonObject { ["family"] = "試験", ["given"] = "花子", ["familyKana"] = familyKana, ["givenKana"] = "ハナコ" },
        ["relationship"] = "mother",
        ["isGuardian"] = true,
        ["birthDate"] = "1990-01-31",
        ["livesWithChild"] = true,
    };

    private static JsonObject Closure(string outcome) => new()
    {
        ["outcome"] = outcome,
        ["reason"] = "家庭環境が改善し、見守りの必要がなくなった。",
        ["decidedOn"] = CaseApi.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        ["meeting"] = "第3回実務者会議",
    };

    /// <summary>The same child's kana reading written another way, with other kanji (so only the kana can match).</summary>
    private static JsonObject SameKanaDifferentKanji(JsonObject first, string writing, string? birthDate)
    {
        var name = first["child"]!["name"]!;
        var child = new JsonObject
        {
            ["name"] = new JsonObject
            {
                ["family"] = "別姓",
                ["given"] = "次郎",
                ["familyKana"] = Written((string)name["familyKana"]!, writing),
                ["givenKana"] = Written((string)name["givenKana"]!, writing),
            },
        };
        if (birthDate is not null)
        {
            child["birthDate"] = birthDate;
        }

        var second = CaseApi.ValidRecord();
        second["child"] = child;
        return second;
    }

    /// <summary>Full-width katakana (as <see cref="CaseApi.ValidRecord"/> writes it) written half-width, in hiragana, or spaced out.</summary>
    private static string Written(string katakana, string writing) => writing switch
    {
        "half-width" => string.Concat(katakana.Select(c => "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾃﾄﾛ"["アイウエオカキクケコサシスセソタテトロ".IndexOf(c, StringComparison.Ordinal)])),
        "hiragana" => string.Concat(katakana.Select(c => (char)(c - 0x60))),
        "spaces" => string.Join("　", katakana.Select(c => c.ToString())),
        _ => throw new ArgumentOutOfRangeException(nameof(writing)),
    };

    /// <summary>Asserts the record as the API wrote it equals <paramref name="sent"/>, apart from the members the
    /// API fills in with their defaults when they were not sent.</summary>
    private static void AssertRecordAsSent(JsonObject sent, JsonNode? written)
    {
        var copy = written!.DeepClone().AsObject();
        string[] filled = ["status", "previousClosures", "abuseTypes", "household", "siblingCaseIds", "participants", "staff", "barredPersonIds", "locationSecrecy"];
        foreach (var name in filled.Where(name => !sent.ContainsKey(name)))
        {
            copy.Remove(name);
        }

        var child = copy["child"]!.AsObject();
        foreach (var name in new[] { "previousNames", "aliases", "sex" }.Where(name => !sent["child"]!.AsObject().ContainsKey(name)))
        {
            child.Remove(name);
        }

        AssertJsonEqual(sent, copy);
    }

    private static async Task<JsonArray> HistoryVersionsAsync(CaseApi api, string caseId, string person)
    {
        using var response = await api.HistoryAsync(caseId, person: person);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await CaseApi.BodyAsync(response))["versions"]!.AsArray();
    }

    private static async Task AssertVersionAsync(CaseApi api, string caseId, long version)
    {
        using var response = await api.GetAsync(caseId);
        Assert.Equal($"\"v{version}\"", CaseApi.ETag(response));
        Assert.Equal(version, (long)(await CaseApi.BodyAsync(response))["version"]!);
        Assert.Equal(version, (await HistoryVersionsAsync(api, caseId, CaseApi.Coordinator)).Count);
    }

    /// <summary>Exactly these cases exist: the status lists hold nothing else.</summary>
    private static async Task AssertCaseIdsAsync(CaseApi api, params string[] caseIds)
    {
        var found = new List<string>();
        foreach (var status in new[] { "accepted", "registered", "closed" })
        {
            using var response = await api.ListAsync("?status=" + status);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            found.AddRange((await CaseApi.BodyAsync(response))["cases"]!.AsArray().Select(item => (string)item!["caseId"]!));
        }

        Assert.Equal(caseIds.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
    }

    private static Task AssertNothingStoredAsync(CaseApi api) => AssertCaseIdsAsync(api);

    private static IEnumerable<string> Names(JsonObject body) => body.Select(pair => pair.Key).Order(StringComparer.Ordinal);

    private static string WithoutRequestIdAndInstance(string problem)
    {
        var body = JsonNode.Parse(problem)!.AsObject();
        body.Remove("requestId");
        body.Remove("instance");
        return body.ToJsonString();
    }

    private static void AssertJsonEqual(JsonNode? expected, JsonNode? actual)
        => Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected {expected?.ToJsonString()}\nActual   {actual?.ToJsonString()}");
}

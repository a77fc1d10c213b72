using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.Identity.SubmissionKeys;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using static Serverless.Tests.Administration.AdminApi;

namespace Serverless.Tests.Administration;

/// <summary>Submission keys over HTTP: issued, listed, revoked and rotated by an admin, and used as
/// <c>Authorization: SubmissionKey sk_...</c> by an agency's form.</summary>
public sealed class SubmissionKeyApiTests
{
    private const string Keys = "api/admin/agencies/" + School + "/submission-keys";
    private const string SchoolList = "api/cases?agency=" + School;

    [Fact]
    public async Task IssuedKeyIsInTheAnswerOnceAndNeverInTheList()
    {
        await using var api = await AdminApi.StartAsync();

        using var issued = await api.PostAsync(Keys, Admin, new JsonObject { ["label"] = "通告フォーム", ["allowedOrigins"] = new JsonArray("https://form.example.jp") });
        using var list = await api.GetAsync(Keys, Admin);

        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        var body = await CaseApi.BodyAsync(issued);
        var key = (string)body["key"]!;
        var keyId = (string)body["info"]!["keyId"]!;
        Assert.StartsWith("sk_" + keyId + "_", key, StringComparison.Ordinal);
        Assert.Equal((School, "通告フォーム", PersonId(Admin)), ((string)body["info"]!["agencyId"]!, (string)body["info"]!["label"]!, (string)body["info"]!["createdBy"]!));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var listed = await list.Content.ReadAsStringAsync();
        Assert.DoesNotContain(key[(3 + 10 + 1)..], listed, StringComparison.Ordinal);
        var only = Assert.Single(JsonNode.Parse(listed)!["keys"]!.AsArray())!;
        Assert.Equal(keyId, (string)only["keyId"]!);
        Assert.Null(only["key"]);
        Assert.Equal(
            [(AuditActions.AdminKeyIssue, "Succeeded"), (AuditActions.AdminKeyRead, "Succeeded")],
            (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task KeyForAnAgencyNobodyRegisteredIsNotFound()
    {
        await using var api = await AdminApi.StartAsync();
        const string path = "api/admin/agencies/no-such-agency/submission-keys";

        using var response = await api.PostAsync(path, Admin, new JsonObject { ["label"] = "通告フォーム" });

        await AssertProblemAsync(response, ProblemCatalogue.NotFound, path);
    }

    [Fact]
    public async Task ValidKeyIsASubmitterThatSeesNoCaseAndCannotList()
    {
        await using var api = await AdminApi.StartAsync();
        var caseId = await CreateSchoolCaseAsync(api);
        var (key, keyId) = await api.IssueKeyAsync();

        using var read = await api.WithKeyAsync(HttpMethod.Get, "api/cases/" + caseId, key);
        using var list = await api.WithKeyAsync(HttpMethod.Get, SchoolList, key);

        await AssertProblemAsync(read, ProblemCatalogue.NotFound, "api/cases/" + caseId);
        await AssertProblemAsync(list, ProblemCatalogue.Forbidden, SchoolList);
        var entries = await api.AuditOutcomesAsync(keyId);
        Assert.Equal(
            [(AuditActions.CaseRead, "Refused", "SubmissionKey", School, "Submitter"), (AuditActions.CaseList, "Refused", "SubmissionKey", School, "Submitter")],
            entries.Select(entry => (entry.Action, entry.Outcome!, entry.ActorKind, entry.AgencyId!, entry.Role!)));
    }

    [Fact]
    public async Task RevokedKeyIsRefusedOnTheVeryNextRequest()
    {
        await using var api = await AdminApi.StartAsync();
        var (key, keyId) = await api.IssueKeyAsync();
        using var before = await api.WithKeyAsync(HttpMethod.Get, SchoolList, key);
        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);

        using var revoked = await api.PostAsync($"{Keys}/{keyId}/revoke", Admin, new JsonObject());
        using var after = await api.WithKeyAsync(HttpMethod.Get, SchoolList, key);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.NotNull((await CaseApi.BodyAsync(revoked))["revokedAt"]);
        await AssertProblemAsync(after, ProblemCatalogue.Unauthenticated, SchoolList);
        Assert.Equal([(AuditActions.AdminKeyIssue, "Succeeded"), (AuditActions.AdminKeyRevoke, "Succeeded")], (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task RevokingTwiceIsHarmlessAndKeepsTheFirstRevocation()
    {
        await using var api = await AdminApi.StartAsync();
        var (_, keyId) = await api.IssueKeyAsync();

        using var first = await api.PostAsync($"{Keys}/{keyId}/revoke", Admin, new JsonObject());
        using var second = await api.PostAsync($"{Keys}/{keyId}/revoke", Admin, new JsonObject());

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal((string)(await CaseApi.BodyAsync(first))["revokedAt"]!, (string)(await CaseApi.BodyAsync(second))["revokedAt"]!);
    }

    [Fact]
    public async Task RotationWithoutOverlapRefusesTheOldKeyAtOnceAndAcceptsTheNewOne()
    {
        await using var api = await AdminApi.StartAsync();
        var (old, oldId) = await api.IssueKeyAsync();

        using var rotated = await api.PostAsync($"{Keys}/{oldId}/rotate", Admin, new JsonObject { ["overlapSeconds"] = 0 });
        var newKey = (string)(await CaseApi.BodyAsync(rotated))["key"]!;
        using var withOld = await api.WithKeyAsync(HttpMethod.Get, SchoolList, old);
        using var withNew = await api.WithKeyAsync(HttpMethod.Get, SchoolList, newKey);

        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        await AssertProblemAsync(withOld, ProblemCatalogue.Unauthenticated, SchoolList);
        await AssertProblemAsync(withNew, ProblemCatalogue.Forbidden, SchoolList); // authenticated: a submitter may not list
        Assert.Contains((AuditActions.AdminKeyRotate, "Succeeded"), (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task RotationWithOverlapKeepsBothKeysWorkingUntilTheOverlapEnds()
    {
        await using var api = await AdminApi.StartAsync();
        var (old, oldId) = await api.IssueKeyAsync();

        using var rotated = await api.PostAsync($"{Keys}/{oldId}/rotate", Admin, new JsonObject { ["overlapSeconds"] = 3600 });
        var newKey = (string)(await CaseApi.BodyAsync(rotated))["key"]!;
        api.Clock.Advance(TimeSpan.FromSeconds(3599));
        using var oldDuring = await api.WithKeyAsync(HttpMethod.Get, SchoolList, old);
        using var newDuring = await api.WithKeyAsync(HttpMethod.Get, SchoolList, newKey);
        api.Clock.Advance(TimeSpan.FromSeconds(1));
        using var oldAfter = await api.WithKeyAsync(HttpMethod.Get, SchoolList, old);
        using var newAfter = await api.WithKeyAsync(HttpMethod.Get, SchoolList, newKey);

        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (oldDuring.StatusCode, newDuring.StatusCode));
        await AssertProblemAsync(oldAfter, ProblemCatalogue.Unauthenticated, SchoolList);
        Assert.Equal(HttpStatusCode.Forbidden, newAfter.StatusCode);
    }

    [Fact]
    public async Task RevokedKeyCannotBeRotatedIntoAWorkingOne()
    {
        await using var api = await AdminApi.StartAsync();
        var (old, oldId) = await api.IssueKeyAsync();
        using var revoked = await api.PostAsync($"{Keys}/{oldId}/revoke", Admin, new JsonObject());
        var path = $"{Keys}/{oldId}/rotate";

        using var rotated = await api.PostAsync(path, Admin, new JsonObject { ["overlapSeconds"] = 3600 });
        var answer = await CaseApi.BodyAsync(rotated);
        using var withOld = await api.WithKeyAsync(HttpMethod.Get, SchoolList, old);
        using var list = await api.GetAsync(Keys, Admin);

        if (answer["key"] is JsonValue leaked)
        {
            using var withNew = await api.WithKeyAsync(HttpMethod.Get, SchoolList, (string)leaked!);
            Assert.Equal(HttpStatusCode.Unauthorized, withNew.StatusCode);
        }

        Assert.Equal((HttpStatusCode.Conflict, ProblemCatalogue.KeyRevoked.Code), (rotated.StatusCode, (string?)answer["code"]));
        await AssertProblemAsync(withOld, ProblemCatalogue.Unauthenticated, SchoolList);
        var only = Assert.Single((await CaseApi.BodyAsync(list))["keys"]!.AsArray())!;
        Assert.Equal(oldId, (string)only["keyId"]!);
        Assert.Null(only["replacedBy"]);
        Assert.Contains((AuditActions.AdminKeyRotate, "Conflict"), (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task RotatingTwiceIsAConflict()
    {
        await using var api = await AdminApi.StartAsync();
        var (_, oldId) = await api.IssueKeyAsync();
        var path = $"{Keys}/{oldId}/rotate";
        using var first = await api.PostAsync(path, Admin, new JsonObject { ["overlapSeconds"] = 60 });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var second = await api.PostAsync(path, Admin, new JsonObject { ["overlapSeconds"] = 60 });

        await AssertProblemAsync(second, ProblemCatalogue.Conflict, path, detail: "このキーはすでに更新（ローテーション）されています。");
    }

    [Fact]
    public async Task KeyOfAnotherAgencyCannotBeRevokedOrRotatedThroughThisAgencysUrl()
    {
        await using var api = await AdminApi.StartAsync();
        var (nurseryKey, nurseryKeyId) = await api.IssueKeyAsync(Nursery);
        var revoke = $"{Keys}/{nurseryKeyId}/revoke";
        var rotate = $"{Keys}/{nurseryKeyId}/rotate";

        using var revoked = await api.PostAsync(revoke, Admin, new JsonObject());
        using var rotated = await api.PostAsync(rotate, Admin, new JsonObject { ["overlapSeconds"] = 0 });
        using var stillWorks = await api.WithKeyAsync(HttpMethod.Get, "api/cases?agency=" + Nursery, nurseryKey);

        await AssertProblemAsync(revoked, ProblemCatalogue.NotFound, revoke);
        await AssertProblemAsync(rotated, ProblemCatalogue.NotFound, rotate);
        Assert.Equal(HttpStatusCode.Forbidden, stillWorks.StatusCode);
        Assert.Equal(
            [(AuditActions.AdminKeyIssue, "Succeeded"), (AuditActions.AdminKeyRevoke, "Missing"), (AuditActions.AdminKeyRotate, "Missing")],
            (await api.AuditOutcomesAsync(PersonId(Admin))).Select(entry => (entry.Action, entry.Outcome)));
    }

    [Fact]
    public async Task RotationWithoutAnOverlapIsRefusedRatherThanTakenAsZero()
    {
        await using var api = await AdminApi.StartAsync();
        var (key, keyId) = await api.IssueKeyAsync();

        using var response = await api.PostAsync($"{Keys}/{keyId}/rotate", Admin, new JsonObject());
        using var stillWorks = await api.WithKeyAsync(HttpMethod.Get, SchoolList, key);

        await CaseApi.ValidationErrorsAsync(response, ("$.overlapSeconds", "required"));
        Assert.Equal(HttpStatusCode.Forbidden, stillWorks.StatusCode);
    }

    [Fact]
    public async Task OverlapBeyondSevenDaysIsRefused()
    {
        await using var api = await AdminApi.StartAsync();
        var (_, keyId) = await api.IssueKeyAsync();

        using var response = await api.PostAsync($"{Keys}/{keyId}/rotate", Admin, new JsonObject { ["overlapSeconds"] = 604801 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(ProblemCatalogue.ValidationFailed.Code, (string)(await CaseApi.BodyAsync(response))["code"]!);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("bearer")]
    [InlineData("key")]
    public async Task KeyInTheQueryStringIsRefusedAsLeakedWhateverElseTheRequestCarries(string credentials)
    {
        await using var api = await AdminApi.StartAsync();
        var (key, _) = await api.IssueKeyAsync();
        var path = "api/cases?status=accepted&key=" + Uri.EscapeDataString(key);

        using var response = credentials switch
        {
            "bearer" => await api.GetAsync(path, Coordinator),
            "key" => await api.WithKeyAsync(HttpMethod.Get, path, key),
            _ => await api.GetAsync(path, null),
        };

        await AssertProblemAsync(response, ProblemCatalogue.KeyInUrl, path);
    }

    [Fact]
    public async Task KeyHiddenInAnotherParameterOrPercentEncodedIsStillRefused()
    {
        await using var api = await AdminApi.StartAsync();
        var (key, _) = await api.IssueKeyAsync();
        var encoded = string.Concat(key.Select(c => "%" + ((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        var path = "api/admin/agencies?note=x" + encoded;

        using var response = await api.GetAsync(path, Admin);

        await AssertProblemAsync(response, ProblemCatalogue.KeyInUrl, path);
        Assert.DoesNotContain(await api.AuditOutcomesAsync(PersonId(Admin)), entry => entry.Action == AuditActions.AdminAgencyRead);
    }

    [Fact]
    public async Task ContinuationTokenContainingSkThatIsNotKeyShapedIsNotTakenForAKey()
    {
        await using var api = await AdminApi.StartAsync();
        const string path = "api/cases?status=accepted&continuationToken=eyJzk_abc_sk_1234";

        using var response = await api.GetAsync(path, Coordinator);

        await CaseApi.ValidationErrorsAsync(response, ("$.continuationToken", "invalid-id"));
    }

    [Fact]
    public async Task TenWrongKeysFromOneAddressThrottleItsEleventhAttemptButNoOtherAddress()
    {
        await using var api = await AdminApi.StartAsync();
        var (key, _) = await api.IssueKeyAsync();
        const string attacker = "198.51.100.23";

        for (var attempt = 0; attempt < 10; attempt++)
        {
            // The client's own (left) entries change every time; only the one the trusted proxy appended counts.
            using var wrong = await api.WithKeyAsync(HttpMethod.Get, SchoolList, WrongKey(), forwardedFor: $"10.0.0.{attempt}, {attacker}");
            await AssertProblemAsync(wrong, ProblemCatalogue.Unauthenticated, SchoolList);
        }

        using var eleventh = await api.WithKeyAsync(HttpMethod.Get, SchoolList, WrongKey(), forwardedFor: "192.0.2.200, " + attacker);
        using var rightKeyFromAttacker = await api.WithKeyAsync(HttpMethod.Get, SchoolList, key, forwardedFor: attacker);
        using var otherAddressWrongKey = await api.WithKeyAsync(HttpMethod.Get, SchoolList, WrongKey(), forwardedFor: "198.51.100.24");
        using var otherAddressRightKey = await api.WithKeyAsync(HttpMethod.Get, SchoolList, key, forwardedFor: "198.51.100.25");

        var throttled = await AssertProblemAsync(eleventh, ProblemCatalogue.TooManyAttempts, SchoolList);
        Assert.InRange(int.Parse(throttled.Header("Retry-After"), System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        await AssertProblemAsync(rightKeyFromAttacker, ProblemCatalogue.Forbidden, SchoolList); // a valid key is never throttled
        await AssertProblemAsync(otherAddressWrongKey, ProblemCatalogue.Unauthenticated, SchoolList);
        await AssertProblemAsync(otherAddressRightKey, ProblemCatalogue.Forbidden, SchoolList); // authenticated; a submitter may not list
        Assert.Same(api.Host.Get<FailedAttemptThrottle>(), api.Host.Get<FailedAttemptThrottle>());
        Assert.Equal(2, api.Host.Get<FailedAttemptThrottle>().TrackedAddresses);
    }

    [Fact]
    public async Task AValidKeyFromAnAddressThrottledForFailuresIsStillAcceptedButWrongKeysFromItAreNot()
    {
        // A municipality's NAT: one address for a whole town hall. Someone's broken script failing there must not
        // stop the town's own form.
        await using var api = await AdminApi.StartAsync();
        var (key, keyId) = await api.IssueKeyAsync();
        const string townHall = "198.51.100.40";
        for (var attempt = 0; attempt < 25; attempt++)
        {
            using var wrong = await api.WithKeyAsync(HttpMethod.Get, SchoolList, WrongKey(), forwardedFor: townHall);
        }

        using var stillWrong = await api.WithKeyAsync(HttpMethod.Get, SchoolList, WrongKey(), forwardedFor: townHall);
        using var valid = await api.WithKeyAsync(HttpMethod.Get, SchoolList, key, forwardedFor: townHall);
        using var validAgain = await api.WithKeyAsync(HttpMethod.Get, SchoolList, key, forwardedFor: townHall);
        using var wrongSecretOfTheValidKey = await api.WithKeyAsync(HttpMethod.Get, SchoolList, "sk_" + keyId + "_" + new string('A', 43), forwardedFor: townHall);

        await AssertProblemAsync(stillWrong, ProblemCatalogue.TooManyAttempts, SchoolList);
        await AssertProblemAsync(valid, ProblemCatalogue.Forbidden, SchoolList); // authenticated as the key; a submitter may not list
        await AssertProblemAsync(validAgain, ProblemCatalogue.Forbidden, SchoolList);
        await AssertProblemAsync(wrongSecretOfTheValidKey, ProblemCatalogue.TooManyAttempts, SchoolList);
        var entries = await api.AuditOutcomesAsync(keyId);
        Assert.Equal(
            [(AuditActions.CaseList, "Refused"), (AuditActions.CaseList, "Refused")],
            entries.Where(entry => entry.Role == "Submitter").Select(entry => (entry.Action, entry.Outcome!)));
    }

    [Fact]
    public async Task ThrottledAddressMayTryAgainWhenTheWindowEnds()
    {
        await using var api = await AdminApi.StartAsync();
        var (key, _) = await api.IssueKeyAsync();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var wrong = await api.WithKeyAsync(HttpMethod.Get, SchoolList, WrongKey());
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var throttled = await api.WithKeyAsync(HttpMethod.Get, SchoolList, WrongKey());
        api.Clock.Advance(TimeSpan.FromSeconds(600));
        using var later = await api.WithKeyAsync(HttpMethod.Get, SchoolList, WrongKey());

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, later.StatusCode);
    }

    [Fact]
    public async Task AuditRecordsTheAddressTheTrustedProxyAppendedNeverTheClientsOwnEntry()
    {
        await using var api = await AdminApi.StartAsync();
        var (key, keyId) = await api.IssueKeyAsync();

        using var response = await api.WithKeyAsync(HttpMethod.Get, SchoolList, key, forwardedFor: "192.0.2.99, 203.0.113.77");
        using var wrong = await api.WithKeyAsync(HttpMethod.Get, SchoolList, "sk_" + keyId + "_" + new string('A', 43), forwardedFor: "192.0.2.98, 203.0.113.78");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        var entries = await api.Host.Get<AuditQuery>().ByActorAsync(keyId, api.Start.AddDays(-1), api.Clock.GetUtcNow().AddDays(1), 100, null, CancellationToken.None);
        var page = Assert.IsType<AuditQueryOutcome.Done>(entries).Page;
        Assert.Equal(
            [("event", "203.0.113.78"), ("intent", "203.0.113.77"), ("outcome", "203.0.113.77")],
            page.Entries.Select(entry => (entry.Kind, entry.ClientAddress!)).Order());
    }

    private static string WrongKey() => SubmissionKeyFormat.Format(SubmissionKeyFormat.NewKeyId(), RandomNumberGenerator.GetBytes(32));

    private static async Task<string> CreateSchoolCaseAsync(AdminApi api)
    {
        var record = CaseApi.ValidRecord();
        record["keyAgencyId"] = School;
        CaseApi.NameDemoStaff(record);
        using var response = await api.PostAsync("api/cases", Coordinator, new JsonObject { ["record"] = record });
        var body = await CaseApi.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (string)body["caseId"]!;
    }
}

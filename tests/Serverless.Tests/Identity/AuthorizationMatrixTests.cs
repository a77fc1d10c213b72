using System.Net;
using System.Text.Json.Nodes;
using Serverless.Audit;
using Serverless.Cases;
using Serverless.Problems;
using Serverless.Tests.Cases.Api;
using Serverless.Tests.Hosting;
using Xunit.Abstractions;

namespace Serverless.Tests.Identity;

/// <summary>
/// Every function in <c>functions.metadata</c> against every kind of caller, on one host and one case
/// (<see cref="MatrixWorld"/>); the rules are the rows of <see cref="AuthorizationMatrix"/>. A function
/// without a row fails, so a new endpoint cannot ship without saying who may call it.
/// </summary>
public sealed class AuthorizationMatrixTests(ITestOutputHelper output)
{
    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task EveryFunctionAnswersEveryKindOfCallerExactlyAsItsRowSays()
    {
        var metadata = FunctionsMetadataEntry.Load();
        var coverage = AuthorizationMatrix.CoverageProblems(metadata, AuthorizationMatrix.Rows);
        Assert.True(coverage.Count == 0, string.Join(Environment.NewLine, coverage));
        await using var world = await MatrixWorld.StartAsync();

        var cells = new List<MatrixCell>();
        foreach (var row in AuthorizationMatrix.Rows)
        {
            var entry = metadata.Single(entry => entry.Name == row.Function);
            foreach (var caller in AuthorizationMatrix.Callers)
            {
                cells.Add(row.IsHttp ? await AskAsync(world, entry, row, caller) : new MatrixCell(row.Function, caller, null, null));
            }
        }

        // The leak check itself: the coordinator's answer, had it gone to anyone else, is caught.
        using var seen = await world.SendAsync(MatrixCaller.Coordinator, HttpMethod.Get, "api/cases/" + world.CaseId);
        var seenBody = await seen.Content.ReadAsStringAsync();
        Assert.NotNull(Leak(world, "GetCase", MatrixCaller.UnnamedMember, new MatrixAnswer(200), seenBody));
        Assert.NotNull(Leak(world, "GetCase", MatrixCaller.UnnamedMember, new MatrixAnswer(200), System.Text.Json.JsonSerializer.Serialize(JsonNode.Parse(seenBody))));

        // And the referrer check: a coordinator's view of a referral, had it gone to the named member, is caught.
        var timeline = await (await world.SendAsync(MatrixCaller.Coordinator, HttpMethod.Get, $"api/cases/{world.CaseId}/timeline")).Content.ReadAsStringAsync();
        var referralId = (string)JsonNode.Parse(timeline)!["entries"]!.AsArray().First(entry => (string)entry!["type"]! == "referral")!["entryId"]!;
        using var referral = await world.SendAsync(MatrixCaller.Coordinator, HttpMethod.Get, "api/referrals/" + referralId);
        Assert.NotNull(Leak(world, "GetReferral", MatrixCaller.NamedMember, new MatrixAnswer(200), await referral.Content.ReadAsStringAsync()));

        var table = AuthorizationMatrix.Table(cells);
        output.WriteLine(table);
        var failed = cells.Where(cell => !cell.Passed).ToList();
        Assert.True(
            failed.Count == 0,
            $"{failed.Count} of {cells.Count} cells differ (expected ≠ actual):{Environment.NewLine}{table}{Environment.NewLine}"
            + string.Join(Environment.NewLine, failed.Select(cell => $"{cell.Function} × {AuthorizationMatrix.Short(cell.Caller)}: expected {cell.Expected?.ToString() ?? "no HTTP"}, got {cell.Actual?.ToString() ?? "-"}{(cell.Failure is null ? "" : " — " + cell.Failure)}")));
    }

    [Fact]
    public void EveryFunctionInTheMetadataHasExactlyOneRow()
        => Assert.Empty(AuthorizationMatrix.CoverageProblems(FunctionsMetadataEntry.Load(), AuthorizationMatrix.Rows));

    [Fact]
    public void CoverageCheckFailsForAFunctionWithoutARowAndForRowsThatDisagreeWithTheMetadata()
    {
        const string added = """
            [
              { "name": "ExportCases", "entryPoint": "A.B", "bindings": [
                { "name": "req", "direction": "In", "type": "httpTrigger", "authLevel": "Anonymous", "methods": ["get"], "route": "api/cases/export" },
                { "name": "$return", "type": "http", "direction": "Out" } ] }
            ]
            """;
        var metadata = FunctionsMetadataEntry.Load().Concat(FunctionsMetadataEntry.Parse(added)).ToList();

        Assert.Equal(["ExportCases: no row in the authorization matrix (say who may call it)"], AuthorizationMatrix.CoverageProblems(metadata, AuthorizationMatrix.Rows));

        var wrongRows = AuthorizationMatrix.Rows
            .Where(row => row.Function is not ("Health" or "AuditSeal"))
            .Append(MatrixRow.NotHttp("Health"))
            .Append(AuthorizationMatrix.Rows.Single(row => row.Function == "GetCase") with { Function = "AuditSeal" })
            .Append(MatrixRow.NotHttp("Removed"))
            .Append(MatrixRow.NotHttp("HealthProbe"));
        string[] expected =
        [
            "AuditSeal: has no HTTP trigger (timerTrigger), but its row sends it requests",
            "Health: has an HTTP trigger, but its row says no caller can reach it",
            "HealthProbe: 2 rows in the authorization matrix (one each)",
            "Removed: a row for a function that is not in functions.metadata",
        ];
        Assert.Equal(expected, AuthorizationMatrix.CoverageProblems(FunctionsMetadataEntry.Load(), wrongRows).Order(StringComparer.Ordinal));
    }

    /// <summary>Visibility before every other check: a PATCH with no If-Match on a case the caller may not
    /// see is 404 (as for a missing case), not 428, which would tell them the case exists.</summary>
    [Theory]
    [InlineData(MatrixCaller.UnnamedMember)]
    [InlineData(MatrixCaller.BarredMember)]
    [InlineData(MatrixCaller.KeyOfCaseAgency)]
    public async Task PatchWithoutIfMatchOfAHiddenCaseIsNotFoundNotPreconditionRequired(MatrixCaller caller)
    {
        await using var world = await MatrixWorld.StartAsync();

        using var hidden = await world.SendAsync(caller, HttpMethod.Patch, "api/cases/" + world.CaseId, ChangeNotes());
        using var missing = await world.SendAsync(caller, HttpMethod.Patch, "api/cases/" + CaseIds.New(), ChangeNotes());
        using var coordinator = await world.SendAsync(MatrixCaller.Coordinator, HttpMethod.Patch, "api/cases/" + world.CaseId, ChangeNotes());

        var hiddenBody = await CaseApi.ProblemAsync(hidden, ProblemCatalogue.NotFound);
        var missingBody = await CaseApi.ProblemAsync(missing, ProblemCatalogue.NotFound);
        Assert.Equal(WithoutRequestIdAndInstance(missingBody), WithoutRequestIdAndInstance(hiddenBody));
        await CaseApi.ProblemAsync(coordinator, ProblemCatalogue.PreconditionRequired);
    }

    /// <summary>The caller cannot tell a hidden case from a missing one; the audit can: Refused, and Missing.</summary>
    [Theory]
    [InlineData(MatrixCaller.UnnamedMember)]
    [InlineData(MatrixCaller.NonParticipatingMember)]
    [InlineData(MatrixCaller.BarredMember)]
    public async Task HiddenCaseIsAuditedAsRefusedAndAMissingOneAsMissingThoughBothAnswer404(MatrixCaller caller)
    {
        await using var world = await MatrixWorld.StartAsync();
        var missingId = CaseIds.New();
        var personId = MatrixWorld.PersonId(MatrixWorld.Subject(caller)!);

        using var hidden = await world.SendAsync(caller, HttpMethod.Get, "api/cases/" + world.CaseId);
        using var missing = await world.SendAsync(caller, HttpMethod.Get, "api/cases/" + missingId);

        var hiddenBody = await CaseApi.ProblemAsync(hidden, ProblemCatalogue.NotFound);
        var missingBody = await CaseApi.ProblemAsync(missing, ProblemCatalogue.NotFound);
        Assert.Equal(WithoutRequestIdAndInstance(missingBody), WithoutRequestIdAndInstance(hiddenBody));
        var refused = await OutcomeOfAsync(world, world.CaseId, hidden);
        var missed = await OutcomeOfAsync(world, missingId, missing);
        Assert.Equal((personId, AuditActions.CaseRead, nameof(AuditOutcome.Refused)), (refused.ActorId, refused.Action, refused.Outcome));
        Assert.Equal((personId, AuditActions.CaseRead, nameof(AuditOutcome.Missing)), (missed.ActorId, missed.Action, missed.Outcome));
    }

    [Fact]
    public async Task SubmissionKeyAskingForTheCaseOfItsOwnAgencyIsAnsweredNotFoundAndAuditedAsRefused()
    {
        await using var world = await MatrixWorld.StartAsync();

        using var hidden = await world.SendAsync(MatrixCaller.KeyOfCaseAgency, HttpMethod.Get, $"api/cases/{world.CaseId}/history");

        await CaseApi.ProblemAsync(hidden, ProblemCatalogue.NotFound);
        var refused = await OutcomeOfAsync(world, world.CaseId, hidden);
        Assert.Equal((world.CaseAgencyKey[3..13], MatrixWorld.CaseAgency, AuditActions.CaseHistory, nameof(AuditOutcome.Refused)), (refused.ActorId, refused.AgencyId, refused.Action, refused.Outcome));
    }

    /// <summary>A bar wins over every right, a coordinator's included: every case operation answers as for a
    /// missing case, and the break-glass openings awaiting review leave that case out (a grant's reason is about it).</summary>
    [Fact]
    public async Task BarredCoordinatorFindsNothingOfTheCaseNotEvenItsBreakGlassOpenings()
    {
        await using var world = await MatrixWorld.StartAsync();
        var barred = await world.RegisterAsync("matrix-barred-coordinator", MatrixWorld.LeadAgency, Serverless.Identity.CallerRole.Coordinator);
        var record = CaseApi.ValidRecord();
        record["barredPersonIds"] = new JsonArray(barred);
        var caseId = await world.CreateCaseAsync(record);
        var grantId = await world.OpenGrantAsync(caseId);
        const string subject = "matrix-barred-coordinator";

        using var get = await world.SendAsSubjectAsync(subject, HttpMethod.Get, "api/cases/" + caseId);
        using var history = await world.SendAsSubjectAsync(subject, HttpMethod.Get, $"api/cases/{caseId}/history");
        using var patch = await world.SendAsSubjectAsync(subject, HttpMethod.Patch, "api/cases/" + caseId, ChangeNotes());
        using var review = await world.SendAsSubjectAsync(subject, HttpMethod.Post, $"api/cases/{caseId}/break-glass/{grantId}/review", new JsonObject { ["finding"] = "必要な閲覧だった" });
        using var awaiting = await world.SendAsSubjectAsync(subject, HttpMethod.Get, "api/break-glass");
        using var awaitingForAnother = await world.SendAsync(MatrixCaller.Coordinator, HttpMethod.Get, "api/break-glass");

        foreach (var refused in new[] { get, history, patch, review })
        {
            await CaseApi.ProblemAsync(refused, ProblemCatalogue.NotFound);
        }

        Assert.Equal(HttpStatusCode.OK, awaiting.StatusCode);
        Assert.DoesNotContain(caseId, await awaiting.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var grants = (await CaseApi.BodyAsync(awaitingForAnother))["grants"]!.AsArray();
        Assert.Contains(grants, grant => (string?)grant!["grantId"] == grantId);
    }

    private static async Task<MatrixCell> AskAsync(MatrixWorld world, FunctionsMetadataEntry entry, MatrixRow row, MatrixCaller caller)
    {
        var expected = row.Expect!(caller);
        try
        {
            var request = await row.Request!(world, caller);
            using var response = await world.SendAsync(caller, AuthorizationMatrix.Method(entry), AuthorizationMatrix.Path(entry, request), request.Body, request.Headers);
            var text = await response.Content.ReadAsStringAsync();
            var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            var actual = new MatrixAnswer((int)response.StatusCode, isProblem ? (string?)JsonNode.Parse(text)?["code"] : null);
            return new MatrixCell(row.Function, caller, expected, actual, Leak(world, row.Function, caller, actual, text));
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or Xunit.Sdk.XunitException)
        {
            return new MatrixCell(row.Function, caller, expected, null, ex.GetType().Name + ": " + ex.Message);
        }
    }

    /// <summary>Whatever the status, a caller who may not see the case never gets the child's name, nor the
    /// case id in a successful answer (the audit read excepted: it names cases, never their contents).</summary>
    private static string? Leak(MatrixWorld world, string function, MatrixCaller caller, MatrixAnswer actual, string body)
    {
        // Some answers escape Japanese (\u5B50): compare with the text as decoded.
        var decoded = Decoded(body);
        if (caller != MatrixCaller.Coordinator && world.ReferrerSecrets.Any(secret => body.Contains(secret, StringComparison.Ordinal) || decoded.Contains(secret, StringComparison.Ordinal)))
        {
            return "LEAK: who referred the child is in the answer";
        }

        if (AuthorizationMatrix.SeeTheCase.Contains(caller))
        {
            return null;
        }

        if (world.ChildNames.Any(name => body.Contains(name, StringComparison.Ordinal) || decoded.Contains(name, StringComparison.Ordinal)))
        {
            return "LEAK: the child's name is in the answer";
        }

        return actual.Status is >= 200 and < 300 && function != "GetAudit" && body.Contains(world.CaseId, StringComparison.Ordinal)
            ? "LEAK: the case id is in a successful answer"
            : null;
    }

    private static string Decoded(string body)
    {
        try
        {
            return JsonNode.Parse(body)?.ToJsonString(Unescaped) ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }

    private static async Task<AuditRecord> OutcomeOfAsync(MatrixWorld world, string caseId, HttpResponseMessage response)
    {
        var requestId = response.Headers.GetValues("X-Request-Id").Single();
        var outcome = await world.Host.Get<AuditQuery>().ByCaseAsync(caseId, AuditQuery.MaxPageSize, null, CancellationToken.None);
        var page = Assert.IsType<AuditQueryOutcome.Done>(outcome).Page;
        return Assert.Single(page.Entries, entry => entry.RequestId == requestId && entry.Kind == AuditEntryKinds.Outcome);
    }

    private static JsonObject ChangeNotes()
        => new() { ["reason"] = "会議の記録を追記", ["changes"] = new JsonObject { ["notes"] = "検証メモ" } };

    private static string WithoutRequestIdAndInstance(JsonObject body)
    {
        var copy = body.DeepClone().AsObject();
        copy.Remove("requestId");
        copy.Remove("instance");
        return copy.ToJsonString();
    }
}

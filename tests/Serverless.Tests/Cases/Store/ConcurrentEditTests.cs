using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.DevHost;
using Serverless.Identity;
using Serverless.Tests.Infrastructure;
using Serverless.Time;

namespace Serverless.Tests.Cases.Store;

/// <summary>
/// Edits that race over HTTP. Each edit names the version it read (If-Match); the store lets exactly one
/// writer create the next version, so a lost race is a 412, never a silently lost change.
/// </summary>
public sealed class ConcurrentEditTests
{
    private const int Writers = 20;

    [Fact]
    public async Task OfTwentyConcurrentEditsFromTheSameVersionExactlyOneIsSavedAndNineteenAre412()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await EditFixture.CreateCaseAsync(host);

        var responses = await Task.WhenAll(Enumerable.Range(0, Writers).Select(async writer =>
        {
            var body = EditFixture.Patch($"writer {writer} rewrites the notes", new JsonObject { ["notes"] = $"writer {writer}'s notes" });
            using var response = await EditFixture.SendAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", body, ifMatch: "\"v1\"");
            return (Writer: writer, response.StatusCode, ETag: response.Headers.ETag?.Tag, Body: await response.Content.ReadAsStringAsync());
        }));

        var winners = responses.Where(response => response.StatusCode == HttpStatusCode.OK).ToList();
        var losers = responses.Where(response => response.StatusCode == HttpStatusCode.PreconditionFailed).ToList();
        var winner = Assert.Single(winners);
        Assert.Equal(Writers - 1, losers.Count);
        Assert.Equal("\"v2\"", winner.ETag);
        foreach (var loser in losers)
        {
            // Every loser is told the version that won, so it can re-read and reapply.
            Assert.Equal("\"v2\"", loser.ETag);
            using var problem = JsonDocument.Parse(loser.Body);
            Assert.Equal("request.precondition-failed", problem.RootElement.GetProperty("code").GetString());
        }

        using var stored = await EditFixture.GetCaseAsync(host, caseId);
        Assert.Equal(2, stored.RootElement.GetProperty("version").GetInt64());
        Assert.Equal($"writer {winner.Writer}'s notes", stored.RootElement.GetProperty("record").GetProperty("notes").GetString());

        using var history = await EditFixture.GetJsonAsync(host, $"api/cases/{caseId}/history");
        var versions = history.RootElement.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([2L, 1L], versions.Select(version => version.GetProperty("version").GetInt64()));
        Assert.Equal($"writer {winner.Writer} rewrites the notes", versions[0].GetProperty("reason").GetString());
        Assert.Equal(["$.notes"], versions[0].GetProperty("changedFields").EnumerateArray().Select(field => field.GetString()));

        // No loser left a version row behind: the partition holds the current row, two versions, and the one
        // timeline entry of the registration (a change of the notes is not one a timeline shows).
        var rows = await EditFixture.CaseRowKeysAsync(host, caseId);
        Assert.Equal([CaseEntity.CurrentRow, CaseEntity.VersionRow(2), CaseEntity.VersionRow(1)], rows.Where(row => !row.StartsWith(Serverless.Entries.EntryEntity.TimelinePrefix, StringComparison.Ordinal)));
        Assert.Single(rows, row => row.StartsWith(Serverless.Entries.EntryEntity.TimelinePrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WritersThatRetryOn412UntilTheyWinEachAddTheirAliasAndNoneIsLost()
    {
        // Arrays replace whole under a merge patch, so each writer must re-read the aliases after a 412
        // and send them with its own: the If-Match check is what keeps the others' aliases.
        const int aliasWriters = CaseLimits.Aliases - 2;
        await using var host = await TestHost.StartAsync();
        var caseId = await EditFixture.CreateCaseAsync(host);

        var attempts = await Task.WhenAll(Enumerable.Range(0, aliasWriters).Select(writer => AddAliasUntilSavedAsync(host, caseId, writer)));

        Assert.All(attempts, count => Assert.InRange(count, 1, 100));
        using var stored = await EditFixture.GetCaseAsync(host, caseId);
        Assert.Equal(1 + aliasWriters, stored.RootElement.GetProperty("version").GetInt64());
        Assert.Equal(
            Enumerable.Range(0, aliasWriters).Select(Alias).Order(StringComparer.Ordinal),
            Aliases(stored.RootElement.GetProperty("record")).Order(StringComparer.Ordinal));

        using var history = await EditFixture.GetJsonAsync(host, $"api/cases/{caseId}/history?pageSize=50");
        var versions = history.RootElement.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, aliasWriters + 1).Reverse().Select(version => (long)version), versions.Select(version => version.GetProperty("version").GetInt64()));
        Assert.False(versions[^1].TryGetProperty("reason", out _)); // the first version was registered, not changed
        var reasons = versions[..^1].Select(version => version.GetProperty("reason").GetString()).ToList();
        Assert.Equal(Enumerable.Range(0, aliasWriters).Select(Reason).Order(StringComparer.Ordinal), reasons.Order(StringComparer.Ordinal));

        // Each version adds exactly one alias to the one before it: no version overwrote another's.
        for (var i = 0; i < versions.Count - 1; i++)
        {
            var newer = Aliases(versions[i].GetProperty("record"));
            var older = Aliases(versions[i + 1].GetProperty("record"));
            Assert.Equal(older.Count + 1, newer.Count);
            Assert.Empty(older.Except(newer));
            Assert.Equal(["$.child.aliases"], versions[i].GetProperty("changedFields").EnumerateArray().Select(field => field.GetString()));
        }
    }

    private static string Alias(int writer) => $"あだ名{writer}";

    private static string Reason(int writer) => $"writer {writer} adds its alias";

    private static List<string> Aliases(JsonElement record)
        => record.GetProperty("child").TryGetProperty("aliases", out var aliases)
            ? aliases.EnumerateArray().Select(alias => alias.GetString()!).ToList()
            : [];

    /// <summary>GET, add the alias to what was read, PATCH with the ETag read; again on 412. Returns the attempts it took.</summary>
    private static async Task<int> AddAliasUntilSavedAsync(TestHost host, string caseId, int writer)
    {
        for (var attempt = 1; attempt <= 100; attempt++)
        {
            string etag;
            List<string> aliases;
            using (var read = await EditFixture.SendAsync(host, HttpMethod.Get, $"api/cases/{caseId}"))
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
                etag = read.Headers.ETag!.Tag;
                using var body = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
                aliases = Aliases(body.RootElement.GetProperty("record"));
            }

            var changes = new JsonObject { ["child"] = new JsonObject { ["aliases"] = new JsonArray([.. aliases.Append(Alias(writer)).Select(alias => (JsonNode)alias)]) } };
            using var response = await EditFixture.SendAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", EditFixture.Patch(Reason(writer), changes), etag);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return attempt;
            }

            Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        }

        return int.MaxValue;
    }
}

file static class EditFixture
{
    public static readonly Caller Coordinator = new("coordinator-sato", "midori-kodomo-ka", CallerRole.Coordinator);

    public static async Task<string> CreateCaseAsync(TestHost host)
    {
        await host.SaveDemoAgenciesAsync();

        var today = JapanTime.Today(host.Get<TimeProvider>());
        var record = new CaseRecord
        {
            Category = CaseCategory.RequiringSupport,
            Child = new Person
            {
                Name = new PersonName { Family = "早川", Given = "湊", FamilyKana = "ハヤカワ", GivenKana = "ミナト" },
                BirthDate = today.AddYears(-7),
            },
            LeadAgencyId = "midori-kodomo-ka",
            KeyAgencyId = "minami-shogakko",
            NextReviewDate = today.AddMonths(1),
            Notes = "first notes",
        };
        var outcome = await host.Get<CaseService>().CreateAsync(Coordinator, new CreateCaseRequest(record), CancellationToken.None);
        return Assert.IsType<CaseOutcome<CaseView>.Done>(outcome).Value.CaseId;
    }

    public static JsonObject Patch(string reason, JsonObject changes) => new() { ["reason"] = reason, ["changes"] = changes };

    public static async Task<HttpResponseMessage> SendAsync(TestHost host, HttpMethod method, string path, JsonNode? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        host.SignIn(request, "coordinator-sato");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        return await host.Client.SendAsync(request);
    }

    public static async Task<JsonDocument> GetJsonAsync(TestHost host, string path)
    {
        using var response = await SendAsync(host, HttpMethod.Get, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public static Task<JsonDocument> GetCaseAsync(TestHost host, string caseId) => GetJsonAsync(host, $"api/cases/{caseId}");

    public static async Task<List<string>> CaseRowKeysAsync(TestHost host, string caseId)
    {
        var table = host.Storage.Tables.GetTableClient(host.Names.Table(CaseStore.TableName));
        var keys = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}"), select: ["RowKey"]))
        {
            keys.Add(row.RowKey);
        }

        return keys;
    }
}

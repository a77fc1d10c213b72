using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Cases.Search;
using Serverless.Cases.Storage;
using Serverless.DevHost;
using Serverless.Functions.Http;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Cases.Search;

/// <summary>
/// The keyed-hash index that answers "does this child already have a case?" holds hashes and case ids
/// only: whoever reads the storage account without the key learns no name and no birth date from it.
/// </summary>
public sealed partial class ChildIndexTests
{
    private static readonly DateOnly BirthDate = new(2016, 2, 29);

    [Fact]
    public async Task NoTableHoldsANameOrTheBirthDateOutsideTheCaseRecordItself()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await IndexFixture.CreateOverHttpAsync(host, Record());
        var forbidden = Forbidden();

        var leaks = new List<string>();
        var recordHoldsTheName = false;
        await foreach (var table in host.Storage.Tables.QueryAsync())
        {
            if (!table.Name.StartsWith(host.Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var isCases = table.Name == host.Names.Table(CaseStore.TableName);
            await foreach (var entity in host.Storage.Tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                foreach (var (name, value) in entity.Select(pair => (pair.Key, Convert.ToString(pair.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "")))
                {
                    if (isCases && name.StartsWith("Record", StringComparison.Ordinal))
                    {
                        recordHoldsTheName |= value.Contains("鷲見", StringComparison.Ordinal);
                        continue;
                    }

                    leaks.AddRange(forbidden.Where(text => value.Contains(text, StringComparison.Ordinal)).Select(text => $"{table.Name} {entity.PartitionKey}/{entity.RowKey} {name}: {text}"));
                }
            }
        }

        Assert.Empty(leaks);
        Assert.True(recordHoldsTheName, "the scan read the case record, where the name belongs");
        Assert.NotEmpty(await IndexFixture.RowsOfAsync(host, caseId));
    }

    [Fact]
    public async Task IndexKeysAre64LowercaseHexCharactersOneRowPerKeyOfTheCase()
    {
        await using var host = await TestHost.StartAsync();
        var record = Record();
        var caseId = await IndexFixture.CreateOverHttpAsync(host, record);

        var rows = await IndexFixture.RowsOfAsync(host, caseId);

        Assert.All(rows, row =>
        {
            Assert.Matches(Hex(), row.PartitionKey);
            Assert.Equal(caseId, row.RowKey);
            Assert.Contains(row.Kind, new[] { ChildKeys.Name, ChildKeys.BirthDate, ChildKeys.Guardian });
            if (row.BirthDateKey is not null)
            {
                Assert.Matches(Hex(), row.BirthDateKey);
            }
        });
        var keys = host.Get<ChildKeys>();
        Assert.Equal(
            keys.For(record).Select(key => (key.Hash, key.Kind, key.BirthDateKey)).Order(),
            rows.Select(row => (row.PartitionKey, row.Kind, row.BirthDateKey)).Order());
        // Six names of the child (name, previous name, alias; each read as kana and as kanji), its
        // birth date, and the guardian's name as kana and as kanji.
        Assert.Equal(
            [(ChildKeys.BirthDate, 1), (ChildKeys.Guardian, 2), (ChildKeys.Name, 6)],
            rows.GroupBy(row => row.Kind).Select(group => (group.Key, group.Count())).Order());
        Assert.All(rows.Where(row => row.Kind == ChildKeys.Name), row => Assert.Equal(keys.ForBirthDate(BirthDate), row.BirthDateKey));
    }

    [Fact]
    public async Task ADifferentHmacKeyGivesDifferentHashesForTheSameNameAndBirthDate()
    {
        await using var host = await TestHost.StartAsync();
        var caseId = await IndexFixture.CreateOverHttpAsync(host, Record());
        var ours = host.Get<ChildKeys>();
        var sameKey = new ChildKeys(Options.Create(new CaseSearchOptions { HmacKey = DevelopmentSecrets.CaseSearchKey }));
        var otherKey = new ChildKeys(Options.Create(new CaseSearchOptions { HmacKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }));

        // A katakana reading is the same text read as kana and as kanji: one hash per key.
        var ourHashes = ours.ForName(ChildKeys.Name, "スミ ルリコ").Append(ours.ForBirthDate(BirthDate)).ToList();
        var otherHashes = otherKey.ForName(ChildKeys.Name, "スミ ルリコ").Append(otherKey.ForBirthDate(BirthDate)).ToList();

        Assert.Equal(ourHashes, sameKey.ForName(ChildKeys.Name, "スミ ルリコ").Append(sameKey.ForBirthDate(BirthDate)));
        Assert.Equal(2, ourHashes.Count);
        Assert.Equal(2, otherHashes.Count);
        Assert.Empty(ourHashes.Intersect(otherHashes));
        var indexed = (await IndexFixture.RowsOfAsync(host, caseId)).Select(row => row.PartitionKey).ToHashSet();
        Assert.Subset(indexed, ourHashes.ToHashSet());
        Assert.Empty(indexed.Intersect(otherHashes));
    }

    [Fact]
    public async Task RenamingTheChildRemovesTheOldNamesRowsAndAddsTheNewOnes()
    {
        await using var host = await TestHost.StartAsync();
        var record = Record();
        var caseId = await IndexFixture.CreateOverHttpAsync(host, record);
        var keys = host.Get<ChildKeys>();
        var oldHashes = keys.ForName(ChildKeys.Name, "スミ ルリコ").Union(keys.ForName(ChildKeys.Name, "鷲見 瑠璃子")).ToHashSet();
        var newName = new PersonName { Family = "新田", Given = "瑠璃子", FamilyKana = "ニッタ", GivenKana = "ルリコ" };
        var changes = new JsonObject { ["child"] = new JsonObject { ["name"] = JsonSerializer.SerializeToNode(newName, ApiJson.Options) } };

        using var response = await IndexFixture.SendAsync(host, HttpMethod.Patch, $"api/cases/{caseId}", new JsonObject { ["reason"] = "family register changed", ["changes"] = changes }, "\"v1\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var renamed = record with { Child = record.Child! with { Name = newName } };
        var rows = await IndexFixture.RowsOfAsync(host, caseId);
        Assert.Equal(
            keys.For(renamed).Select(key => (key.Hash, key.Kind, key.BirthDateKey)).Order(),
            rows.Select(row => (row.PartitionKey, row.Kind, row.BirthDateKey)).Order());
        var indexed = rows.Select(row => row.PartitionKey).ToHashSet();
        var before = keys.For(record).Select(key => key.Hash).ToHashSet();
        var after = keys.For(renamed).Select(key => key.Hash).ToHashSet();
        // The old name's two keys (kana reading, kanji) went; the new name's two came; the previous
        // name, the alias, the birth date and the guardian stayed.
        Assert.Equal(oldHashes, before.Except(after).ToHashSet());
        Assert.Empty(indexed.Intersect(oldHashes));
        Assert.Equal(2, after.Except(before).Count());
        Assert.Subset(indexed, after.Except(before).ToHashSet());
        Assert.Equal(before.Count, after.Count);
        Assert.Contains(keys.ForBirthDate(BirthDate), indexed);

        Assert.Empty(await IndexFixture.SearchAsync(host, new JsonObject { ["name"] = "スミ ルリコ" }));
        Assert.Empty(await IndexFixture.SearchAsync(host, new JsonObject { ["name"] = "鷲見瑠璃子" }));
        Assert.Equal([(caseId, "name")], await IndexFixture.SearchAsync(host, new JsonObject { ["name"] = "にった るりこ" }));
        Assert.Equal([(caseId, "name")], await IndexFixture.SearchAsync(host, new JsonObject { ["name"] = "新田 瑠璃子" }));
    }

    /// <summary>A child with a distinctive name, a previous name, an alias, a guardian and a birth date.</summary>
    private static CaseRecord Record() => new()
    {
        Category = CaseCategory.RequiringProtection,
        Child = new Person
        {
            Name = new PersonName { Family = "鷲見", Given = "瑠璃子", FamilyKana = "スミ", GivenKana = "ルリコ" },
            PreviousNames = [new PersonName { Family = "勅使河原", Given = "瑠璃子", FamilyKana = "テシガハラ", GivenKana = "ルリコ" }],
            Aliases = ["るりちゃん"],
            BirthDate = BirthDate,
            Sex = Sex.Female,
        },
        Household = [new HouseholdMember { Name = new PersonName { Family = "鷲見", Given = "雅臣", FamilyKana = "スミ", GivenKana = "マサオミ" }, Relationship = Relationship.Father, IsGuardian = true }],
        LeadAgencyId = "midori-kodomo-ka",
        KeyAgencyId = "minami-shogakko",
    };

    /// <summary>Every name as written, as typed with a space, and as the normaliser keys it; the birth date as ISO and compact.</summary>
    private static List<string> Forbidden()
    {
        string[][] names = [["鷲見", "瑠璃子"], ["スミ", "ルリコ"], ["勅使河原", "瑠璃子"], ["テシガハラ", "ルリコ"], ["鷲見", "雅臣"], ["スミ", "マサオミ"], ["るりちゃん", ""]];
        var forbidden = new List<string> { "2016-02-29", "20160229" };
        foreach (var parts in names)
        {
            var whole = string.Join(" ", parts.Where(part => part.Length > 0));
            forbidden.AddRange(parts.Where(part => part.Length > 0));
            forbidden.AddRange([whole, NameNormalizer.Kana(whole), NameNormalizer.Kanji(whole)]);
        }

        return [.. forbidden.Distinct()];
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Hex();
}

file static class IndexFixture
{
    public static async Task<string> CreateOverHttpAsync(TestHost host, CaseRecord record)
    {
        await host.SaveDemoAgenciesAsync();

        using var response = await SendAsync(host, HttpMethod.Post, "api/cases", JsonSerializer.SerializeToNode(new CreateCaseRequest(record), ApiJson.Options));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        using var body = JsonDocument.Parse(text);
        return body.RootElement.GetProperty("caseId").GetString()!;
    }

    public static async Task<HttpResponseMessage> SendAsync(TestHost host, HttpMethod method, string path, JsonNode? body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        host.SignIn(request, "coordinator-sato");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        request.Content = new StringContent(body!.ToJsonString(), Encoding.UTF8, "application/json");
        return await host.Client.SendAsync(request);
    }

    public static async Task<List<(string CaseId, string On)>> SearchAsync(TestHost host, JsonObject criteria)
    {
        using var response = await SendAsync(host, HttpMethod.Post, "api/cases/search", criteria);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. body.RootElement.GetProperty("candidates").EnumerateArray()
            .Select(candidate => (candidate.GetProperty("caseId").GetString()!, string.Join(",", candidate.GetProperty("matchedOn").EnumerateArray().Select(on => on.GetString()))))];
    }

    public static async Task<List<ChildIndexEntity>> RowsOfAsync(TestHost host, string caseId)
    {
        var table = host.Storage.Tables.GetTableClient(host.Names.Table(ChildIndex.TableName));
        var rows = new List<ChildIndexEntity>();
        await foreach (var row in table.QueryAsync<ChildIndexEntity>(TableClient.CreateQueryFilter($"RowKey eq {caseId}")))
        {
            rows.Add(row);
        }

        return rows;
    }
}

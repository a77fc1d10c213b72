using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Cases;
using Serverless.Transfers.Packages;

namespace Serverless.Tests.Transfers;

/// <summary>The package's JSON: a round trip, what the audit records from it, and versions a receiver does not read.</summary>
public sealed class TransferPackageTests
{
    private static TransferPackage Package() => new(
        TransferPackage.CurrentSchemaVersion,
        "c-0123456789abcdef",
        new TransferCaseRecord(CaseCategory.RequiringProtection, CaseStatus.Accepted, [AbuseType.Neglect], [], PrimaryAbuseType: AbuseType.Neglect, RiskLevel: RiskLevel.High,
            Child: new Person { Name = new PersonName { Family = "山田", Given = "太郎" } }, Notes: "転居先：東京都千代田区（詳細不明）"),
        [
            new TransferTimelineEntry("e-1", "report", new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), JsonSerializer.SerializeToElement(new { text = "欠席が続いている" }),
                [new TransferFileReference("f-1", "写真.jpg", "image/jpeg", 1234, new string('a', 64))], "みどり市立南小学校"),
            new TransferTimelineEntry("e-2", "comment", new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero), JsonSerializer.SerializeToElement(new { text = "確認します" }), []),
        ],
        LocationSecrecy: true,
        ReferrerSecrecy: true);

    [Fact]
    public void APackageRoundTripsAndNamesTheEntriesAndFileHashesItCarries()
    {
        var package = Package();

        var direct = JsonSerializer.Deserialize<TransferPackage>(package.ToJson(), CaseJson.Options); // surfaces a serializer error
        Assert.NotNull(direct);
        var parsed = TransferPackage.Parse(package.ToJson());

        Assert.NotNull(parsed);
        Assert.Equal(package.ToJson(), parsed.ToJson());
        Assert.Equal(["e-1", "e-2"], parsed.EntryIds());
        Assert.Equal([new string('a', 64)], parsed.FileHashes());
        Assert.True(parsed.LocationSecrecy && parsed.ReferrerSecrecy);
        Assert.Equal("山田", parsed.Case.Child!.Name.Family);
    }

    [Fact]
    public void AnUnknownVersionOrNotAPackageIsRefused()
    {
        var json = JsonNode.Parse(Package().ToJson())!;
        json["schemaVersion"] = 2;

        Assert.Null(TransferPackage.Parse(JsonSerializer.SerializeToUtf8Bytes(json)));
        Assert.Null(TransferPackage.Parse("""{"hello":1}"""u8));
        Assert.Null(TransferPackage.Parse("not json"u8));
    }
}

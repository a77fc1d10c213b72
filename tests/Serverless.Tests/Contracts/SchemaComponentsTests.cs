using System.Text.Json.Nodes;
using Serverless.Functions.Contracts;

namespace Serverless.Tests.Contracts;

/// <summary>How the document builder names and exports schemas, on types of this file (the app has no nested or generic body types yet).</summary>
public sealed class SchemaComponentsTests
{
    [Fact]
    public void NestedAndGenericTypesGetANameThatIsAnIdentifierEverywhere()
    {
        Assert.Equal("SchemaHolderSeal", SchemaNames.For(typeof(SchemaHolder.Seal)));
        Assert.Equal("SchemaPageOfSchemaLeaf", SchemaNames.For(typeof(SchemaPage<SchemaLeaf>)));
        Assert.Equal("SchemaPairOfSchemaLeafAndSchemaHolderSeal", SchemaNames.For(typeof(SchemaPair<SchemaLeaf, SchemaHolder.Seal>)));
    }

    [Fact]
    public void TwoTypesThatWouldShareASchemaNameAreRefused()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => SchemaNames.Assign([typeof(SchemaHolder.Seal), typeof(SchemaHolderSeal)]));

        Assert.Contains("SchemaHolderSeal", ex.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(SchemaHolder.Seal).FullName!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ARecursiveTypeRefersToItselfByNameAndKeepsEachMembersNullability()
    {
        var schemas = Build((typeof(SchemaTree), true));

        var tree = schemas["SchemaTree"]!["properties"]!;
        Assert.Equal("""{"anyOf":[{"$ref":"#/components/schemas/SchemaTree"},{"type":"null"}]}""", tree["parent"]!.ToJsonString());
        // The exporter writes the second list of trees as a pointer to the first; each keeps its own nullability.
        Assert.Equal("""{"type":"array","items":{"$ref":"#/components/schemas/SchemaTree"}}""", tree["children"]!.ToJsonString());
        Assert.Equal("""{"type":["array","null"],"items":{"$ref":"#/components/schemas/SchemaTree"},"default":null}""", tree["cousins"]!.ToJsonString());
        Assert.DoesNotContain("\"#/properties", schemas.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ATypeThatARequestSendsIsDescribedAsAcceptedEvenInsideAResponse()
    {
        var schemas = Build((typeof(SchemaHolder), true), (typeof(SchemaPage<SchemaHolder>), false));

        Assert.False(schemas["SchemaHolder"]!["additionalProperties"]!.GetValue<bool>());
        Assert.Equal("""{"anyOf":[{"$ref":"#/components/schemas/SchemaHolderSeal"},{"type":"null"}],"default":null}""", schemas["SchemaHolder"]!["properties"]!["stamp"]!.ToJsonString());
        // Only received: as the API writes it (open to new fields, a null member left out rather than null).
        Assert.Null(schemas["SchemaPageOfSchemaHolder"]!["additionalProperties"]);
        Assert.Equal("""{"$ref":"#/components/schemas/SchemaLeaf"}""", schemas["SchemaPageOfSchemaHolder"]!["properties"]!["first"]!.ToJsonString());
        Assert.Equal("""{"type":"string","enum":["red","dark-blue"]}""", schemas["SchemaColour"]!.ToJsonString());
    }

    [Fact]
    public void ARequiredNullableMemberOfATypeSentAndReceivedIsRefused()
    {
        // Requests must carry it (null or not); responses leave it out when null: one schema cannot say both.
        var ex = Assert.Throws<InvalidOperationException>(() => Build((typeof(SchemaLeaf), true), (typeof(SchemaLeaf), false)));

        Assert.Contains("SchemaLeaf.note", ex.Message, StringComparison.Ordinal);
    }

    private static JsonObject Build(params (Type Type, bool Request)[] bodies)
    {
        var components = new SchemaComponents(OpenApiDocumentBuilder.SchemaOptions);
        foreach (var (type, request) in bodies)
        {
            components.Reference(type, request);
        }

        return components.Build();
    }
}

internal enum SchemaColour
{
    Red,
    DarkBlue,
}

internal sealed record SchemaLeaf(string? Note, SchemaColour Colour);

internal sealed record SchemaHolder(SchemaHolder.Seal? Stamp = null)
{
    internal sealed record Seal(DateOnly On);
}

internal sealed record SchemaHolderSeal(string Text);

internal sealed record SchemaPage<T>(IReadOnlyList<T> Items, SchemaLeaf? First = null);

internal sealed record SchemaPair<TFirst, TSecond>(TFirst First, TSecond Second);

internal sealed record SchemaTree(SchemaTree? Parent, IReadOnlyList<SchemaTree> Children, IReadOnlyList<SchemaTree>? Cousins = null);

using System.Text;
using Serverless.Functions.Http;

namespace Serverless.Tests.Http;

public sealed class JsonDuplicatesTests
{
    [Theory]
    [InlineData("""{"a":1,"a":2}""", "$.a")]
    [InlineData("""{"a":1,"b":{"c":[1,{"d":1,"D":2}]}}""", "$.b.c[1].D")]
    [InlineData("""{"a b":1,"a b":2}""", "$['a b']")]
    [InlineData("""{"it's":1,"it's":2}""", "$['it\\'s']")]
    [InlineData("""{"x":[[1,2],[3,{"k":1,"k":2}]]}""", "$.x[1][1].k")]
    public void FirstRepeatedPropertyIsNamedByItsPath(string json, string path)
        => Assert.Equal(path, JsonDuplicates.FirstDuplicatePath(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"a":1,"b":2}""")]
    [InlineData("""{"a":{"x":1},"b":{"x":1}}""")] // the same name in two objects
    [InlineData("""[{"x":1},{"x":1}]""")]
    [InlineData("""{"a":1 "b":2}""")] // not JSON: the serializer says where
    [InlineData("")]
    [InlineData("""{"\ud800":1}""")] // a lone surrogate in a name: not text at all (found by the OpenAPI fuzz, seed 182026)
    [InlineData("""{"\udc00":1,"\udc00":2}""")]
    public void NoRepeatedPropertyIsNull(string json)
        => Assert.Null(JsonDuplicates.FirstDuplicatePath(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void NameThatIsNotUtf8IsNotReadAsText()
        => Assert.Null(JsonDuplicates.FirstDuplicatePath([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']));
}

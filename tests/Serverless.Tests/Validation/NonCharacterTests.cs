using Serverless.Cases.Search;
using Serverless.Validation;

namespace Serverless.Tests.Validation;

/// <summary>Text with Unicode non-characters or unpaired surrogates is refused as a field error: the name search
/// normalises names, and normalisation throws on them (the fuzz suite found it as a 500, seed 182026).</summary>
public sealed class NonCharacterTests
{
    [Theory]
    [InlineData("\uFFFF\uFFFE")]
    [InlineData("やまだ\uFDD0")]
    [InlineData("\U0001FFFE")]
    public void ASearchNameWithANonCharacterIsAFieldErrorNotAnException(string name)
    {
        var errors = CaseSearchValidator.Validate(new CaseSearchCriteria { Name = name });

        Assert.Equal([("$.name", FieldRules.ControlCharacters)], errors.Select(error => (error.Field, error.Code)));
    }

    [Fact]
    public void ASearchNameWithAnUnpairedSurrogateIsAFieldError()
    {
        // Built in code: xunit would carry an unpaired surrogate in InlineData as U+FFFD.
        foreach (var name in new[] { "a" + '\uD800' + "b", '\uDC00'.ToString(), "x" + '\uD83D' })
        {
            Assert.Equal([("$.name", FieldRules.ControlCharacters)], CaseSearchValidator.Validate(new CaseSearchCriteria { Name = name }).Select(error => (error.Field, error.Code)));
        }
    }

    [Theory]
    [InlineData("𠮷田　はなこ")] // a surrogate pair that is a real character
    [InlineData("ﾔﾏﾀﾞ ﾀﾛｳ")]
    [InlineData("Ｙａｍａｄａ")]
    public void RealNamesInAnyWidthPassAndNormalise(string name)
    {
        Assert.Empty(CaseSearchValidator.Validate(new CaseSearchCriteria { Name = name }));
        Assert.NotEmpty(NameNormalizer.Kana(name));
    }
}

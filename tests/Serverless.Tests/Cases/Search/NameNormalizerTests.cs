using System.Globalization;
using System.Text;
using Serverless.Cases.Search;

namespace Serverless.Tests.Cases.Search;

public sealed class NameNormalizerTests
{
    // ---- Kana readings ----

    [Fact]
    public void HiraganaAndKatakanaReadingsHaveTheSameKey()
    {
        Assert.Equal("トリイヒカリ", NameNormalizer.Kana("とりい ひかり"));
        Assert.Equal("トリイヒカリ", NameNormalizer.Kana("トリイ ヒカリ"));
    }

    [Fact]
    public void HalfWidthKatakanaHasTheSameKeyAsFullWidth()
    {
        Assert.Equal(NameNormalizer.Kana("トリイ ヒカリ"), NameNormalizer.Kana("ﾄﾘｲ ﾋｶﾘ"));
    }

    [Theory]
    [InlineData("ｶﾞｯｺｳ", "ガッコウ")]
    [InlineData("ﾊﾟﾝ", "パン")]
    [InlineData("ｳﾞｨｵﾗ", "ヴィオラ")]
    public void HalfWidthVoicedAndSemiVoicedMarksComposeWithTheKanaBeforeThem(string halfWidth, string fullWidth)
    {
        var key = NameNormalizer.Kana(halfWidth);

        Assert.Equal(NameNormalizer.Kana(fullWidth), key);
        Assert.DoesNotContain('\u3099', key);
        Assert.DoesNotContain('\u309A', key);
    }

    [Theory]
    [InlineData("ウ\u309B", "ヴ")] // ウ゛, how legacy systems wrote ヴ
    [InlineData("か\u309Bわ", "ガワ")]
    [InlineData("ハ\u309Cン", "パン")]
    public void SpacingVoicedMarksAfterAKanaComposeWithIt(string input, string expected)
    {
        Assert.Equal(expected, NameNormalizer.Kana(input));
    }

    [Theory]
    [InlineData("キャ", "キヤ")]
    [InlineData("ガッコウ", "ガツコウ")]
    [InlineData("ジョウ", "ジヨウ")]
    [InlineData("ファ", "フア")]
    [InlineData("ぁぃぅぇぉっゃゅょゎ", "アイウエオツヤユヨワ")]
    [InlineData("ゕゖヵヶ", "カケカケ")]
    [InlineData("ㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ", "クシストヌハヒフヘホムラリルレロ")]
    public void SmallAndLargeKanaHaveTheSameKey(string small, string large)
    {
        Assert.Equal(NameNormalizer.Kana(large), NameNormalizer.Kana(small));
    }

    [Theory]
    [InlineData("スヱ", "スエ")]
    [InlineData("ヰク", "イク")]
    [InlineData("カヲル", "カオル")]
    [InlineData("すゑ", "スエ")]
    [InlineData("ゐく", "イク")]
    [InlineData("かをる", "カオル")]
    public void OldKanaHaveTheSameKeyAsTheKanaReadToday(string old, string modern)
    {
        Assert.Equal(NameNormalizer.Kana(modern), NameNormalizer.Kana(old));
    }

    [Fact]
    public void VuIsKeptAndDoesNotMatchBu()
    {
        Assert.Equal("ヴイオラ", NameNormalizer.Kana("ゔぃおら"));
        Assert.NotEqual(NameNormalizer.Kana("ブイオラ"), NameNormalizer.Kana("ヴィオラ"));
    }

    [Fact]
    public void IterationMarksBecomeTheirKatakanaForms()
    {
        Assert.Equal("スヽキ", NameNormalizer.Kana("すゝき"));
        Assert.Equal("ミスヾ", NameNormalizer.Kana("みすゞ"));
    }

    [Theory]
    [InlineData("ユーコ")]
    [InlineData("ゆーこ")]
    [InlineData("ﾕｰｺ")] // half-width ｰ U+FF70
    [InlineData("ユ-コ")] // hyphen-minus
    [InlineData("ユ－コ")] // full-width hyphen-minus U+FF0D
    [InlineData("ユ\u2010コ")] // hyphen
    [InlineData("ユ\u2014コ")] // em dash
    [InlineData("ユ\u2015コ")] // horizontal bar
    [InlineData("ユ\u2212コ")] // minus sign
    [InlineData("ユ\u2500コ")] // box drawing horizontal
    [InlineData("ユ\u301Cコ")] // wave dash
    [InlineData("ユ\uFF5Eコ")] // full-width tilde
    [InlineData("ユ~コ")]
    [InlineData("ユコ")]
    public void LongVowelMarkAndWhatPeopleTypeForItAreIgnored(string reading)
    {
        Assert.Equal("ユコ", NameNormalizer.Kana(reading));
    }

    [Fact]
    public void LongVowelMarkIsDroppedNotExpandedSoItDoesNotMatchTheSpelledOutVowel()
    {
        // Known limit: whether ユーコ stands for ユウコ or is a reading of its own cannot be told
        // from the kana, so the mark is dropped (ユコ) and ユウコ keeps its ウ. A coordinator searching
        // for ユウコ does not see ユーコ; searching the kanji name or the date of birth covers that.
        Assert.Equal("ユコ", NameNormalizer.Kana("ユーコ"));
        Assert.Equal("ユウコ", NameNormalizer.Kana("ユウコ"));
        Assert.NotEqual(NameNormalizer.Kana("ユウコ"), NameNormalizer.Kana("ユーコ"));
    }

    [Theory]
    [InlineData("トリイ ヒカリ")]
    [InlineData("トリイ\u3000ヒカリ")] // ideographic space
    [InlineData("トリイ\u00A0ヒカリ")] // no-break space
    [InlineData("トリイ\tヒカリ")]
    [InlineData(" トリイ  ヒカリ\r\n")]
    [InlineData("\u3000トリイヒカリ\u3000")]
    [InlineData("トリイ・ヒカリ")]
    [InlineData("トリイ･ヒカリ")] // half-width middle dot U+FF65
    [InlineData("トリイ\u00B7ヒカリ")] // Latin middle dot
    public void SpacesOfEveryKindAndMiddleDotsAreIgnored(string reading)
    {
        Assert.Equal("トリイヒカリ", NameNormalizer.Kana(reading));
    }

    [Theory]
    [InlineData("ジョン・スミス")]
    [InlineData("ジョンスミス")]
    [InlineData("ジョン＝スミス")]
    [InlineData("ジョン=スミス")]
    [InlineData("ジョン゠スミス")] // katakana double hyphen U+30A0
    [InlineData("ジョン スミス")]
    [InlineData("ｼﾞｮﾝ･ｽﾐｽ")]
    [InlineData("じょん・すみす")]
    public void ForeignNamesInKatakanaMatchWhateverSeparatesTheirParts(string reading)
    {
        Assert.Equal("ジヨンスミス", NameNormalizer.Kana(reading));
    }

    [Theory]
    [InlineData("Smith")]
    [InlineData("SMITH")]
    [InlineData("smith")]
    [InlineData("ｓｍｉｔｈ")]
    [InlineData("ＳＭＩＴＨ")]
    [InlineData(" Smith ")]
    public void LatinNamesAreUpperCased(string name)
    {
        Assert.Equal("SMITH", NameNormalizer.Kana(name));
    }

    [Fact]
    public void LatinNamesKeepTheirPartsInOrderWithoutSeparatorsAndFullWidthDigitsBecomeAscii()
    {
        Assert.Equal("JOHNSMITH", NameNormalizer.Kana("John Smith"));
        Assert.Equal("JOHNSMITH", NameNormalizer.Kana("JOHN・SMITH"));
        Assert.Equal("JOHNSMITH2", NameNormalizer.Kana("john smith ２"));
    }

    [Theory]
    [InlineData("トリイ", "トリエ")]
    [InlineData("タカハシ", "タカバシ")] // voicing is significant
    [InlineData("ハン", "パン")] // so is the semi-voiced mark
    [InlineData("ヒカリ", "ヒカル")]
    [InlineData("サトウ", "サイトウ")]
    [InlineData("トリイヒカリ", "ヒカリトリイ")] // order of family and given name matters
    public void DifferentReadingsKeepDifferentKeys(string one, string other)
    {
        Assert.NotEqual(NameNormalizer.Kana(one), NameNormalizer.Kana(other));
    }

    [Fact]
    public void KanaKeyContainsOnlyKatakanaForAKanaReading()
    {
        var key = NameNormalizer.Kana("とりい　ひかり・ゆーこ ｶﾞｯｺｳ ぁゕゝ ゐゑを");

        Assert.All(key, c => Assert.InRange(c, '\u30A1', '\u30FE'));
        Assert.DoesNotContain('\u30FB', key); // ・
        Assert.DoesNotContain('\u30FC', key); // ー
    }

    [Fact]
    public void CharactersWithoutAKanaRuleAreKeptRatherThanDropped()
    {
        // A kanji typed into the reading field must not shorten the key to someone else's.
        Assert.Equal("ヤマ田", NameNormalizer.Kana("やま田"));
        Assert.NotEqual(NameNormalizer.Kana("ヤマ"), NameNormalizer.Kana("やま田"));
    }

    // ---- Kanji names ----

    [Theory]
    [InlineData("髙橋", "高橋")]
    [InlineData("山﨑", "山崎")]
    [InlineData("渡邉", "渡辺")]
    [InlineData("渡邊", "渡辺")]
    [InlineData("齋藤", "斎藤")]
    [InlineData("齊藤", "斉藤")]
    [InlineData("濵田", "浜田")]
    [InlineData("澤田", "沢田")]
    [InlineData("廣瀬", "広瀬")]
    [InlineData("國分", "国分")]
    [InlineData("櫻井", "桜井")]
    [InlineData("德永", "徳永")]
    [InlineData("眞子", "真子")]
    [InlineData("惠子", "恵子")]
    [InlineData("龍也", "竜也")]
    public void OldAndNewKanjiFormsHaveTheSameKey(string oldForm, string newForm)
    {
        Assert.Equal(NameNormalizer.Kanji(newForm), NameNormalizer.Kanji(oldForm));
        Assert.Equal(newForm, NameNormalizer.Kanji(oldForm));
    }

    [Fact]
    public void BothOldFormsOfWatanabeMatchEachOtherAndTheNewForm()
    {
        Assert.Equal("渡辺", NameNormalizer.Kanji("渡邉"));
        Assert.Equal("渡辺", NameNormalizer.Kanji("渡邊"));
        Assert.Equal("渡辺", NameNormalizer.Kanji("渡辺"));
    }

    [Fact]
    public void CompatibilityIdeographsThatNfkcDecomposesAreFoldedWithoutATableEntry()
    {
        // 塚 U+FA10 decomposes to 塚 U+585A under NFKC, so it needs no entry of its own.
        Assert.Equal("\u585A本", NameNormalizer.Kanji("\uFA10本"));
        Assert.False(NameNormalizer.KanjiVariants.ContainsKey('\uFA10'));
    }

    [Theory]
    [InlineData("高橋 光")]
    [InlineData("高橋\u3000光")]
    [InlineData(" 高橋　　光 ")]
    [InlineData("高橋・光")]
    [InlineData("髙橋　光")]
    public void KanjiNamesIgnoreSpacesAndMiddleDots(string name)
    {
        Assert.Equal("高橋光", NameNormalizer.Kanji(name));
    }

    [Theory]
    [InlineData("高橋", "髙嶋")]
    [InlineData("斎藤", "斉藤")] // different registered names, not variants of one another
    [InlineData("浜田", "濱田")] // 濱 is not in the table; only the listed variants fold
    [InlineData("高橋", "高橋光")]
    public void DifferentKanjiNamesKeepDifferentKeys(string one, string other)
    {
        Assert.NotEqual(NameNormalizer.Kanji(one), NameNormalizer.Kanji(other));
    }

    [Fact]
    public void KanjiKeyDoesNotFoldKanaOrCase()
    {
        // The kanji key is for kanji; readings go through Kana.
        Assert.NotEqual(NameNormalizer.Kanji("ひかり"), NameNormalizer.Kanji("ヒカリ"));
    }

    [Fact]
    public void KanjiVariantTableHoldsOnlyFormsThatNfkcLeavesAlone()
    {
        Assert.Equal(15, NameNormalizer.KanjiVariants.Count);
        Assert.All(NameNormalizer.KanjiVariants, pair =>
        {
            Assert.Equal(pair.Key.ToString(), pair.Key.ToString().Normalize(NormalizationForm.FormKC));
            Assert.Equal(pair.Value.ToString(), pair.Value.ToString().Normalize(NormalizationForm.FormKC));
            Assert.False(NameNormalizer.KanjiVariants.ContainsKey(pair.Value));
        });
    }

    // ---- Both ----

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\u3000\u3000")]
    [InlineData(" \t\r\n")]
    [InlineData("・")]
    [InlineData("　・　")]
    public void InputThatNormalisesToNothingGivesAnEmptyKey(string input)
    {
        Assert.Equal("", NameNormalizer.Kana(input));
        Assert.Equal("", NameNormalizer.Kanji(input));
    }

    [Theory]
    [InlineData("ー")]
    [InlineData("ｰ ＝ 〜")]
    public void ReadingOfOnlyMarksGivesAnEmptyKanaKey(string input)
    {
        Assert.Equal("", NameNormalizer.Kana(input));
    }

    [Fact]
    public void NullIsRejected()
    {
        Assert.Throws<ArgumentNullException>(() => NameNormalizer.Kana(null!));
        Assert.Throws<ArgumentNullException>(() => NameNormalizer.Kanji(null!));
    }

    [Theory]
    [InlineData("とりい ひかり")]
    [InlineData("ｶﾞｯｺｳ")]
    [InlineData("ジョン・スミス")]
    [InlineData("髙橋　光")]
    [InlineData("ｓｍｉｔｈ")]
    public void KeysAreStableWhenNormalisedAgain(string input)
    {
        var kana = NameNormalizer.Kana(input);
        var kanji = NameNormalizer.Kanji(input);

        Assert.Equal(kana, NameNormalizer.Kana(kana));
        Assert.Equal(kanji, NameNormalizer.Kanji(kanji));
    }

    [Fact]
    public void KeysDoNotDependOnTheCurrentCulture()
    {
        var original = CultureInfo.CurrentCulture;
        try
        {
            // Turkish upper-cases i to İ; the key must not.
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("tr-TR");

            Assert.Equal("SMITHI", NameNormalizer.Kana("smithi"));
            Assert.Equal("高橋", NameNormalizer.Kanji("髙橋"));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }
}

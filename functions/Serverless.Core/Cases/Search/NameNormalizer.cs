using System.Collections.Frozen;
using System.Text;

namespace Serverless.Cases.Search;

/// <summary>
/// Matching keys for the names of children, used only to find candidate cases when a
/// coordinator looks for a child who may already be known. A key is never stored in place of
/// the name and never shown: the stored text round-trips exactly, and a coordinator always
/// confirms a candidate. The keys deliberately over-match (two different children can share a
/// key), because a missed existing case is worse than an extra candidate to rule out.
/// </summary>
/// <remarks>
/// Both methods are pure and culture-independent: the same input gives the same key on every
/// server, whatever its culture settings.
/// </remarks>
public static class NameNormalizer
{
    /// <summary>
    /// Kanji variants that family registers (戸籍) and people use interchangeably. Deliberately
    /// small and explicit: each entry is a judgement, not a rule. Every key is one that NFKC leaves
    /// unchanged (a test checks this), so nothing here duplicates what normalisation already does.
    /// In particular 﨑 U+FA11 sits in the CJK Compatibility Ideographs block but is one of the
    /// twelve unified ideographs there, which have no decomposition, so NFKC keeps it as is.
    /// </summary>
    internal static FrozenDictionary<char, char> KanjiVariants { get; } = new Dictionary<char, char>
    {
        ['髙'] = '高', // U+9AD9 はしご高
        ['﨑'] = '崎', // U+FA11 たつさき
        ['齋'] = '斎', // U+9F4B; 斎 and 斉 stay distinct: 斎藤 and 斉藤 are different registered names
        ['齊'] = '斉', // U+9F4A
        ['邉'] = '辺', // U+9089
        ['邊'] = '辺', // U+908A
        ['濵'] = '浜', // U+6FF5
        ['澤'] = '沢', // U+6FA4
        ['廣'] = '広', // U+5EE3
        ['國'] = '国', // U+570B
        ['櫻'] = '桜', // U+6AFB
        ['德'] = '徳', // U+5FB7
        ['眞'] = '真', // U+771E
        ['惠'] = '恵', // U+60E0
        ['龍'] = '竜', // U+9F8D
    }.ToFrozenDictionary();

    /// <summary>
    /// A matching key for a kana reading (よみがな / フリガナ): katakana, with Latin letters upper-cased.
    /// Hiragana, half-width and full-width forms, small kana, the long-vowel mark and its
    /// look-alikes, spaces, middle dots and the '=' between foreign name parts do not affect it.
    /// Voicing does (タカハシ and タカバシ stay different). Characters it has no rule for (kanji,
    /// other punctuation) are kept, so a name is never silently shortened to someone else's.
    /// </summary>
    public static string Kana(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // The spacing voiced marks ゛゜ decompose under NFKC to a space and a combining mark, and the
        // space stops the mark from composing with the kana before it. Legacy data writes ヴ as ウ゛,
        // so turn them into combining marks first and let NFKC compose ウ゛ into ヴ, か゛ into が.
        var prepared = text.Replace('\u309B', '\u3099').Replace('\u309C', '\u309A');

        // NFKC folds half-width katakana into full-width, composing ｶﾞ into ガ and ﾊﾟ into パ, and
        // full-width ASCII into ASCII (ｓｍｉｔｈ into smith, ＝ into =, ～ into ~, ｰ into ー).
        var normalized = prepared.Normalize(NormalizationForm.FormKC);

        var key = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (IsIgnoredInKana(c))
            {
                continue;
            }

            key.Append(char.ToUpperInvariant(FoldKana(ToKatakana(c))));
        }

        return key.ToString();
    }

    /// <summary>
    /// A matching key for a name written in kanji: NFKC, without spaces or middle dots, with the
    /// few old and new forms in <see cref="KanjiVariants"/> folded together. It finds candidates
    /// only; whether 髙橋 and 高橋 are the same child is for a coordinator to confirm.
    /// </summary>
    public static string Kanji(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        var normalized = text.Normalize(NormalizationForm.FormKC);

        var key = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.IsWhiteSpace(c) || IsMiddleDot(c))
            {
                continue;
            }

            key.Append(KanjiVariants.GetValueOrDefault(c, c));
        }

        return key.ToString();
    }

    // Runs after NFKC, so full-width and half-width forms (＝ ～ ｰ ･ U+3000) arrive as their
    // folded forms (= ~ ー ・ space).
    private static bool IsIgnoredInKana(char c)
        => char.IsWhiteSpace(c) || IsMiddleDot(c) || IsLongVowelMark(c) || c is '=' or '\u30A0';

    private static bool IsMiddleDot(char c) => c is '\u30FB' or '\u00B7';

    // The long-vowel mark and what people type for it. The mark is dropped rather than expanded:
    // whether ユーコ is ユウコ or ユコ cannot be told from the kana, so ユーコ and ユウコ stay
    // different keys (a known limit, covered by a test). ― U+2015 and — U+2014, 〜 U+301C and
    // ～ U+FF5E are the same JIS characters decoded by different Shift_JIS tables; ─ U+2500 is
    // offered next to ー by Japanese input methods.
    private static bool IsLongVowelMark(char c)
        => c is '\u30FC' or '-' or '\u2010' or '\u2014' or '\u2015' or '\u2212' or '\u2500' or '\u301C' or '~';

    private static char ToKatakana(char c) => c switch
    {
        >= '\u3041' and <= '\u3096' => (char)(c + 0x60), // ぁ..ゖ → ァ..ヶ
        '\u309D' or '\u309E' => (char)(c + 0x60), // ゝ ゞ → ヽ ヾ
        _ => c,
    };

    // Small kana are written large and large written small in readings, especially in older
    // records and when copied by hand (キヤ for キャ, ツ for ッ). ヰ ヱ ヲ are read イ エ オ
    // today; a name registered with them (スヱ, ヰク) is typed either way, so they fold too.
    // ヴ is kept: ヴ and ブ are a spelling the family chooses, not a typing variant.
    private static char FoldKana(char c) => c switch
    {
        'ァ' => 'ア',
        'ィ' => 'イ',
        'ゥ' => 'ウ',
        'ェ' => 'エ',
        'ォ' => 'オ',
        'ッ' => 'ツ',
        'ャ' => 'ヤ',
        'ュ' => 'ユ',
        'ョ' => 'ヨ',
        'ヮ' => 'ワ',
        'ヵ' => 'カ',
        'ヶ' => 'ケ',
        'ㇰ' => 'ク',
        'ㇱ' => 'シ',
        'ㇲ' => 'ス',
        'ㇳ' => 'ト',
        'ㇴ' => 'ヌ',
        'ㇵ' => 'ハ',
        'ㇶ' => 'ヒ',
        'ㇷ' => 'フ',
        'ㇸ' => 'ヘ',
        'ㇹ' => 'ホ',
        'ㇺ' => 'ム',
        'ㇻ' => 'ラ',
        'ㇼ' => 'リ',
        'ㇽ' => 'ル',
        'ㇾ' => 'レ',
        'ㇿ' => 'ロ',
        'ヰ' => 'イ',
        'ヱ' => 'エ',
        'ヲ' => 'オ',
        _ => c,
    };
}

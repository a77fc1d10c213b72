using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace FormRelay;

/// <summary>
/// The relay's pages: plain HTML, no script and no style (the CSP allows neither). Every value is HTML-encoded; the
/// submission key is never part of any page.
/// </summary>
public static class ConcernPage
{
    public const string Emergency = "緊急のときは189（児童相談所虐待対応ダイヤル）または110へ電話してください。このフォームは緊急の連絡には使えません。";

    /// <summary>Japanese stays readable; markup characters are encoded.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Form(string agency, string submissionId)
    {
        var body = new StringBuilder()
            .Append("<form method=\"post\" action=\"/concern\">")
            .Append("<input type=\"hidden\" name=\"submissionId\" value=\"").Append(E(submissionId)).Append("\">")
            .Append("<p><label for=\"kind\">種類</label><br><select id=\"kind\" name=\"kind\" required>")
            .Append("<option value=\"abuse-report\">虐待の疑い（通告）</option><option value=\"care-consultation\">養育の相談</option><option value=\"other-concern\">その他の心配</option></select></p>")
            .Append("<p><label for=\"observedAt\">見た・聞いた日時</label><br><input id=\"observedAt\" name=\"observedAt\" type=\"datetime-local\" required></p>")
            .Append("<p><label for=\"childFamilyName\">子どもの姓</label><br><input id=\"childFamilyName\" name=\"childFamilyName\" autocomplete=\"off\"></p>")
            .Append("<p><label for=\"childGivenName\">子どもの名</label><br><input id=\"childGivenName\" name=\"childGivenName\" autocomplete=\"off\"></p>")
            .Append("<p><label for=\"approximateAge\">年齢（おおよそ）</label><br><input id=\"approximateAge\" name=\"approximateAge\" inputmode=\"numeric\"></p>")
            .Append("<p><label for=\"schoolOrNursery\">学校・園</label><br><input id=\"schoolOrNursery\" name=\"schoolOrNursery\"></p>")
            .Append("<p><label for=\"area\">地域</label><br><input id=\"area\" name=\"area\"></p>")
            .Append("<p><label for=\"narrative\">見たこと・聞いたこと</label><br><textarea id=\"narrative\" name=\"narrative\" rows=\"8\" maxlength=\"10000\" required></textarea></p>")
            .Append("<p><label for=\"submitterName\">あなたのお名前</label><br><input id=\"submitterName\" name=\"submitterName\" autocomplete=\"name\" required></p>")
            .Append("<p><label for=\"submitterRole\">役職</label><br><input id=\"submitterRole\" name=\"submitterRole\"></p>")
            .Append("<p><button type=\"submit\">送信する</button></p></form>");
        return Page(agency, "相談・通告フォーム", body.ToString());
    }

    public static string Receipt(string agency, string receiptNumber)
        => Page(agency, "受け付けました", $"<p>受付番号：<strong id=\"receipt-number\">{E(receiptNumber)}</strong></p><p>電話で問い合わせるときは、この番号を伝えてください。</p>");

    public static string Invalid(string agency, IReadOnlyList<string> messages)
        => Page(agency, "入力を確かめてください", "<ul>" + string.Concat(messages.Select(message => $"<li>{E(message)}</li>")) + "</ul><p>ブラウザの「戻る」で入力に戻れます（入力した内容は残っています）。</p>");

    public static string AlreadySent(string agency)
        => Page(agency, "この画面からは送信済みです", "<p>この画面の内容は、すでに受け付けています（最初に送った内容のままです）。別の相談・通告は、<a href=\"/\">フォームを開き直して</a>送ってください。</p>");

    public static string Refused(string agency)
        => Page(agency, "送信できませんでした", "<p>フォームの内容を読み取れませんでした。<a href=\"/\">フォームを開き直して</a>ください。</p>");

    public static string Failed(string agency)
        => Page(agency, "送信できませんでした", "<p>いまは送信できません。しばらくしてから、ブラウザの「戻る」で入力に戻り、もう一度送信してください（二重に届くことはありません）。</p>");

    private static string Page(string agency, string title, string content)
        => "<!doctype html><html lang=\"ja\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            + "<meta name=\"referrer\" content=\"no-referrer\">"
            + $"<title>{E(title)}｜{E(agency)}</title></head><body>"
            + $"<p role=\"note\"><strong>{E(Emergency)}</strong></p><h1>{E(title)}</h1>{content}</body></html>";

    private static string E(string value) => Encoder.Encode(value);
}

namespace Serverless.Validation;

/// <summary>
/// The field-level rule codes of the API with their messages (Japanese first). Like problem codes,
/// rule codes are a contract: forms may switch on them.
/// </summary>
public static class FieldRules
{
    public const string Required = "required";
    public const string TooLong = "too-long";
    public const string TooMany = "too-many";
    public const string FutureDate = "future-date";
    public const string DateOrder = "date-order";
    public const string UnknownAgency = "unknown-agency";
    public const string LeadAgencyKind = "lead-agency-kind";
    public const string ServerManaged = "server-managed";
    public const string InvalidTransition = "invalid-transition";
    public const string InvalidId = "invalid-id";
    public const string Duplicate = "duplicate";
    public const string DuplicateProperty = "duplicate-property";
    public const string NotForCategory = "not-for-category";
    public const string ControlCharacters = "control-characters";
    public const string InvalidValue = "invalid-value";
    public const string InvalidText = "invalid-text";
    public const string OutOfRange = "out-of-range";
    public const string StatusOrAgencyRequired = "status-or-agency-required";
    public const string AgencyNotOnCase = "agency-not-on-case";
    public const string BarredAndNamed = "barred-and-named";
    public const string UnknownIssuer = "unknown-issuer";
    public const string AlreadyVisible = "already-visible";
    public const string BreakGlassNotAllowed = "break-glass-not-allowed";
    public const string PastDate = "past-date";
    public const string TooFarAhead = "too-far-ahead";
    public const string TooLongEncoded = "too-long-encoded";
    public const string NotForKind = "not-for-kind";
    public const string ScopeWiderThanParent = "scope-wider-than-parent";
    public const string NotOnCase = "not-on-case";
    public const string MentionCannotSee = "mention-cannot-see";
    public const string OffsetRequired = "offset-required";
    public const string ChildUnidentified = "child-unidentified";
    public const string NotForOutcome = "not-for-outcome";
    public const string NotACentre = "not-a-centre";
    public const string BeforeConcern = "before-concern";
    public const string NotACoordinator = "not-a-coordinator";
    public const string PeriodOrFiscalYear = "period-or-fiscal-year";
    public const string HttpsRequired = "https-required";
    public const string HostNotPublic = "host-not-public";
    public const string HostUnresolvable = "host-unresolvable";
    public const string NotForFormat = "not-for-format";
    public const string NotConfigured = "not-configured";
    public const string FileNotFound = "file-not-found";
    public const string FileAlreadyAttached = "file-already-attached";
    public const string FileRejected = "file-rejected";
    public const string FileNotOwn = "file-not-own";
    public const string FilesNotHere = "files-not-here";
    public const string NotAMember = "not-a-member";
    public const string NotOnList = "not-on-list";
    public const string CountMismatch = "count-mismatch";
    public const string NotInMonth = "not-in-month";
    public const string NotInAbuseTypes = "not-in-abuse-types";
    public const string FingerprintMismatch = "fingerprint-mismatch";
    public const string WholeMonths = "whole-months";
    public const string FilesOnly = "files-only";

    public static IReadOnlyDictionary<string, (string Ja, string En)> Messages { get; } = new Dictionary<string, (string, string)>
    {
        [Required] = ("入力してください。", "This field is required."),
        [TooLong] = ("{max}文字以内で入力してください。", "Use at most {max} characters."),
        [TooMany] = ("{max}件までです。", "At most {max} entries are allowed."),
        [FutureDate] = ("未来の日付は指定できません。", "The date cannot be in the future."),
        [DateOrder] = ("開始日より前の日付は指定できません。", "The date cannot be before the start date."),
        [UnknownAgency] = ("登録されていない機関です。", "This agency is not registered."),
        [LeadAgencyKind] = ("主担当機関は市区町村の担当課または児童相談所に限られます。", "The lead agency must be the municipal division or the child guidance centre."),
        [ServerManaged] = ("この項目はシステムが管理するため変更できません。", "This field is managed by the system and cannot be set."),
        [InvalidTransition] = ("状態を「{from}」から「{to}」には変更できません。", "The status cannot change from {from} to {to}."),
        [InvalidId] = ("正しいIDではありません。", "This is not a valid id."),
        [Duplicate] = ("同じものが重複しています。", "The same entry appears twice."),
        [DuplicateProperty] = ("同じ項目が2回以上指定されています。1回だけ送ってください。", "This field is given more than once; send it once."),
        [NotForCategory] = ("この区分では指定できません。", "This field does not apply to this category."),
        [ControlCharacters] = ("使用できない制御文字や文字でない符号（U+FFFF など）が含まれています。", "The text contains control characters or non-characters (such as U+FFFF) that are not allowed."),
        [InvalidText] = ("文字として読めない符号（対になっていないサロゲート U+D800 など）が含まれています。", "The text holds code that is not a character (an unpaired surrogate such as U+D800); send it as UTF-8 text."),
        [InvalidValue] = ("値の形式が正しくないか、存在しない項目です。", "The value has the wrong type or format, or the field does not exist."),
        [OutOfRange] = ("{min}から{max}の範囲で指定してください。", "Use a value from {min} to {max}."),
        [StatusOrAgencyRequired] = ("status か agency のどちらかを指定してください。", "Give a status or an agency: each page reads one of them."),
        [AgencyNotOnCase] = ("このケースに参加していない機関です。先に参加機関に加えてください。", "This agency does not take part in the case. Add it to the participants first."),
        [AlreadyVisible] = ("このケースは通常の権限で閲覧できます。緊急閲覧は不要です。", "You can already see this case; break-glass is not needed."),
        [UnknownIssuer] = ("設定されていない認証基盤です。", "This issuer is not configured."),
        [BreakGlassNotAllowed] = ("緊急閲覧は調整機関と児童相談所の職員にだけ指定できます。", "Break-glass can be designated only for coordinators and child guidance centre staff."),
        [NotInAbuseTypes] = ("主たる虐待種別は、虐待種別に含まれるものから選んでください。", "The primary abuse type must be one of the case's abuse types; add it to abuseTypes first."),
        [BarredAndNamed] = ("関与を禁止した人を担当者にはできません。", "A person barred from the case cannot also be named on it."),
        [PastDate] = ("過去の日時は指定できません。", "The time cannot be in the past."),
        [TooFarAhead] = ("{maxDays}日より先の日時は指定できません。", "The time cannot be more than {maxDays} days ahead."),
        [TooLongEncoded] = ("文字の組み合わせ（結合文字など）を含めると長すぎます。内部の長さで{max}以内にしてください。", "With its combining characters the text is too long: at most {max} UTF-16 code units."),
        [NotForKind] = ("この種類の報告では指定できません。", "This field does not apply to this kind of report."),
        [ScopeWiderThanParent] = ("返信先より広い公開範囲は指定できません。", "A reply cannot be shown more widely than the entry it answers."),
        [NotOnCase] = ("このケースに関わっていない人・機関です。", "This person or agency is not on the case."),
        [MentionCannotSee] = ("この人・機関はこの書き込みを閲覧できません。公開範囲を見直してください。", "This person or agency cannot see the entry. Check its scope."),
        [OffsetRequired] = ("時差（+09:00 など）を含む ISO 8601 の日時で指定してください。", "Give an ISO 8601 time with its offset (such as +09:00)."),
        [ChildUnidentified] = ("子どもの名前・学校や保育所・地区・住所のうち、分かるものを一つ以上入力してください。", "Give at least one of the child's name, school or nursery, area or address."),
        [NotForOutcome] = ("この決定では指定できません。", "This field does not apply to this decision."),
        [NotACentre] = ("児童相談所として登録された機関を指定してください。", "Name an agency registered as a child guidance centre."),
        [BeforeConcern] = ("通告の内容より前の日時は指定できません。", "The time cannot be before what the referral reported."),
        [NotACoordinator] = ("当番に指定できるのは、本日時点で調整機関の所属を持つ人だけです。", "Only a person holding a coordinator membership today can be on call."),
        [PeriodOrFiscalYear] = ("期間（from と to）か年度（fiscalYear）のどちらか一方を指定してください。", "Give either a period (from and to) or a fiscal year (fiscalYear), not both."),
        [HttpsRequired] = ("https:// で始まるURLを指定してください。", "Use an https:// URL."),
        [HostNotPublic] = ("このホストは内部のアドレス（ループバック・プライベート・リンクローカル等）を指しているため使えません。", "This host points to an address that is not public (loopback, private, link-local or reserved)."),
        [HostUnresolvable] = ("このホスト名を解決できません。", "This host name does not resolve."),
        [NotForFormat] = ("この形式のWebhookには使えません（署名の秘密は generic 形式だけにあります）。", "This does not apply to this format (only generic webhooks have a signing secret)."),
        [NotConfigured] = ("この環境ではWebhookが設定されていません（Webhooks__EncryptionKey）。情報システム担当に依頼してください。", "Webhooks are not configured on this deployment (Webhooks__EncryptionKey). Ask your IT staff."),
        [FileNotFound] = ("このケースにそのIDのファイルはありません。先にファイルをアップロードしてください。", "This case has no file with this id. Upload the file first."),
        [FileAlreadyAttached] = ("このファイルはすでに別の書き込みに添付されています。", "This file is already attached to another entry."),
        [FileRejected] = ("このファイルは安全確認で受け付けられませんでした。状態（state）と理由（rejection）を確かめて、送り直してください。", "This file was refused by its checks. Read its state and rejection, and send it again."),
        [FileNotOwn] = ("添付できるのは、自分の機関（フォームの場合はそのフォーム）がアップロードしたファイルだけです。", "Only a file uploaded by your own agency (for a form, by that form) can be attached."),
        [NotAMember] = ("この機関の職員（メンバー）ではありません。", "This person is not a member of this agency."),
        [NotOnList] = ("この機関の出欠対象児童の名簿にない番号です（終結・転出した児童を含みます）。名簿を確認してください。", "This entry is not on the agency's attendance list (a child whose case closed or who moved has left it). Check the list."),
        [CountMismatch] = ("日数が合っていません。欠席日（absentDates）の数は理由ありと理由なしの欠席日数の合計、最長連続欠席日数は欠席日数以下にしてください。", "The counts do not agree: absentDates must hold as many days as the two absence counts together, and the longest run cannot exceed them."),
        [FingerprintMismatch] = ("読み上げられた指紋（フィンガープリント）が登録された鍵と一致しません。確認を止め、相手の自治体に鍵を確かめ、必要なら管理者に登録し直してもらってください。", "The fingerprint read out does not match the registered key. Do not confirm: check the key with the other council and have an admin register it again if needed."),
        [NotInMonth] = ("報告する月の日付ではありません。", "This date is not in the month reported."),
        [WholeMonths] = ("集計は月単位です。from は月の初日（例: 2025-04-01）、to は月の末日（例: 2026-03-31）を指定してください。", "Counts are kept by month: give the first day of a month as from (2025-04-01) and the last day of a month as to (2026-03-31)."),
        [FilesOnly] = ("小さい件数の秘匿（suppressSmallCounts）は xlsx と csv のファイルだけに使えます。format=xlsx か format=csv を指定してください。", "suppressSmallCounts applies to the xlsx and csv files only: add format=xlsx or format=csv."),
        [FilesNotHere] = ("訂正ではファイルを添付できません。POST /api/cases/{caseId}/files/{fileId}/attach で添付してください。", "A correction does not attach files. Attach them with POST /api/cases/{caseId}/files/{fileId}/attach."),
    };

    public static string Message(ValidationError error, bool english)
    {
        var (ja, en) = Messages[error.Code];
        var text = english ? en : ja;
        foreach (var (name, value) in error.Arguments ?? new Dictionary<string, string>())
        {
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return text;
    }
}

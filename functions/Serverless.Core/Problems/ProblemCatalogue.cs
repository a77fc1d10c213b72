using System.Reflection;

namespace Serverless.Problems;

/// <summary>
/// Every problem code the API uses, in one place. Codes are part of the contract: agency forms
/// switch on them, so a code is never renamed or reused for another meaning.
/// </summary>
public static class ProblemCatalogue
{
    public static readonly ProblemCode InvalidJson = new(
        "request.invalid-json", 400,
        "リクエスト本文が正しいJSONではありません", "The request body is not valid JSON",
        "本文をJSONとして読めませんでした。フォームの送信内容を確認してください。",
        "The body could not be read as JSON. Check what the form sends.");

    public static readonly ProblemCode ValidationFailed = new(
        "request.validation-failed", 400,
        "入力内容に誤りがあります", "Some fields are not valid",
        "errors に示した項目を修正して、もう一度送信してください。",
        "Correct the fields listed in errors and send again.");

    public static readonly ProblemCode UnsupportedMediaType = new(
        "request.unsupported-media-type", 415,
        "この形式の本文は受け付けていません", "This body format is not accepted",
        "Content-Type: application/json (UTF-8) で送信してください。",
        "Send the body as Content-Type: application/json (UTF-8).");

    public static readonly ProblemCode BodyTooLarge = new(
        "request.body-too-large", 413,
        "本文が大きすぎます", "The body is too large",
        "本文が上限を超えています。内容を分けるか、添付ファイルとして送ってください。",
        "The body exceeds the limit. Split it, or send large content as an attachment.");

    public static readonly ProblemCode RouteNotFound = new(
        "request.route-not-found", 404,
        "このURLはありません", "There is no such URL",
        "URLとHTTPメソッドを確認してください。使えるURLは /api/openapi.json に一覧があります。",
        "Check the URL and the HTTP method. /api/openapi.json lists every URL.");

    public static readonly ProblemCode MethodNotAllowed = new(
        "request.method-not-allowed", 405,
        "このURLではこのHTTPメソッドを使えません", "This URL does not take this HTTP method",
        "Allow ヘッダーに示したメソッドを使ってください。URLごとのメソッドは /api/openapi.json に一覧があります。",
        "Use a method named in the Allow header. /api/openapi.json lists the methods of every URL.");

    public static readonly ProblemCode NotFound = new(
        "resource.not-found", 404,
        "見つかりません", "Not found",
        "指定されたものは存在しないか、閲覧する権限がありません。",
        "It does not exist, or you are not allowed to see it.");

    public static readonly ProblemCode Unauthenticated = new(
        "auth.unauthenticated", 401,
        "ログインが必要です", "Sign-in is required",
        "認証情報がないか、無効です。ログインし直してください。",
        "The credentials are missing or not valid. Sign in again.");

    public static readonly ProblemCode Forbidden = new(
        "auth.forbidden", 403,
        "この操作は許可されていません", "You may not do this",
        "この操作にはあなたの役割では権限がありません。必要なら調整機関に依頼してください。",
        "Your role does not allow this. Ask the coordinating body if it needs doing.");

    public static readonly ProblemCode CoordinatorAct = new(
        "admin.coordinator-act", 403,
        "この操作は調整機関が行います", "A coordinator must do this",
        "緊急閲覧（break-glass）の指定と、指定できる職員が属する種別（市の所管課・児童相談所）の機関の登録・変更は、調整機関の職員が行います。管理者は行えません。調整機関に依頼してください。",
        "Designating break-glass on a membership, and creating or changing an agency of a kind whose staff can be designated (municipal division, child guidance centre), are a coordinator's acts, not an admin's. Ask a coordinator.");

    public static readonly ProblemCode NoPendingProposal = new(
        "admin.no-pending-proposal", 409,
        "確認できる提案がありません", "There is no pending proposal to confirm",
        "この変更は提案されていないか、提案から7日が過ぎて失効しました。もう一度提案し、提案した人とは別の調整機関の職員が確認してください。",
        "Nobody proposed this change, or the proposal lapsed after 7 days. Propose it again and have a coordinator other than the proposer confirm it.");

    public static readonly ProblemCode AdminNetworkNotAllowed = new(
        "admin.network-not-allowed", 403,
        "このネットワークからは管理APIを使えません", "The admin API cannot be used from this network",
        "管理APIは自治体のネットワーク（許可されたアドレス）からのみ使えます。庁舎のネットワークから操作するか、接続元のアドレス範囲の追加を情報システム担当に依頼してください。",
        "The admin API can be used only from the municipality's network (the allowed addresses). Use it from the office network, or ask your IT staff to add the address range you connect from.");

    public static readonly ProblemCode NotRegistered = new(
        "auth.not-registered", 403,
        "この利用者は登録されていません", "You are not registered",
        "ログインはできましたが、この協議会の利用者として登録されていません。所属機関の管理者に登録を依頼してください。",
        "You signed in, but you are not registered with this council. Ask your agency's administrator to register you.");

    public static readonly ProblemCode IssuerMismatch = new(
        "auth.issuer-mismatch", 403,
        "このログインは受け付けられません", "This sign-in cannot be accepted",
        "トークンの発行元（テナント）が、この利用者が初めてログインしたときのものと異なります。いつもの組織アカウントでログインし直してください。続く場合は情報システム担当に連絡してください。",
        "The token's issuer (tenant) differs from the one this person first signed in with. Sign in again with your usual organisation account; if this continues, contact your IT staff.");

    public static readonly ProblemCode NoActiveMembership = new(
        "auth.membership-expired", 403,
        "有効な所属がありません", "You have no valid membership",
        "今日有効な所属（機関と役割）がありません。異動や期間終了の場合は、管理者に所属の登録を依頼してください。",
        "You hold no membership (agency and role) valid today. After a transfer or the end of a term, ask an administrator to register your membership.");

    public static readonly ProblemCode MembershipRequired = new(
        "auth.membership-required", 403,
        "どの所属で操作するか指定してください", "Say which membership you act through",
        "複数の所属が有効です。X-Membership-Id ヘッダーで、操作に使う所属のIDを指定してください。",
        "Several of your memberships are valid. Name the one you act through in the X-Membership-Id header.");

    public static readonly ProblemCode UnknownMembership = new(
        "auth.membership-unknown", 403,
        "指定された所属は使えません", "That membership cannot be used",
        "X-Membership-Id の所属は、あなたの今日有効な所属ではありません。",
        "The membership in X-Membership-Id is not one of your memberships valid today.");

    public static readonly ProblemCode TooManyAttempts = new(
        "auth.too-many-attempts", 429,
        "失敗が続いたため一時的に受け付けていません", "Too many failed attempts",
        "この接続元からの認証失敗が続いています。Retry-After の秒数が過ぎてから、正しいキーで送信してください。",
        "Too many failed attempts came from this address. Wait the seconds in Retry-After, then send with a valid key.");

    public static readonly ProblemCode KeyInUrl = new(
        "auth.key-in-url", 400,
        "送信キーをURLに含めないでください", "Never put a submission key in a URL",
        "URLは記録や履歴に残るため、キーは漏れたものとして扱ってください。管理者に失効と再発行を依頼し、キーは Authorization ヘッダーで送ってください。",
        "URLs end up in logs and histories, so treat the key as leaked: ask an administrator to revoke and reissue it, and send keys in the Authorization header.");

    public static readonly ProblemCode KeyRevoked = new(
        "admin.key-revoked", 409,
        "失効したキーは更新できません", "A revoked key cannot be rotated",
        "失効は取り消せません。フォームに新しいキーが必要なら、新しいキーを発行してください。",
        "A revocation is final. If the form needs a key, issue a new one.");

    public static readonly ProblemCode MeetingReviewsNoCase = new(
        "meetings.reviews-no-case", 409,
        "代表者会議では個別のケースを検討しません", "A representatives' meeting reviews no single case",
        "個別のケースの進行管理は、受理会議・個別ケース検討会議・実務者会議として記録した会議で行ってください。",
        "Record the review under an intake meeting, a case conference or a practitioners' meeting.");

    public static readonly ProblemCode CaseAlreadyReviewed = new(
        "meetings.case-already-reviewed", 409,
        "このケースはこの会議で検討済みです", "This meeting has already reviewed this case",
        "ケースを読み直して、保存された検討内容を確認してください。内容を直すときはケースを変更してください。",
        "Read the case again to see the review saved. To correct it, change the case.");

    public static readonly ProblemCode Conflict = new(
        "resource.conflict", 409,
        "同時に変更されました", "It was changed at the same time",
        "ほかの人が同時に変更しました。読み直してから、もう一度操作してください。",
        "Someone else changed it at the same moment. Read it again, then retry.");

    public static readonly ProblemCode PreconditionRequired = new(
        "request.precondition-required", 428,
        "If-Match ヘッダーが必要です", "If-Match is required",
        "変更の取り違えを防ぐため、最後に読み込んだときの ETag を If-Match ヘッダーに指定してください。",
        "To avoid overwriting someone else's change, send the ETag you last read in an If-Match header.");

    public static readonly ProblemCode PreconditionFailed = new(
        "request.precondition-failed", 412,
        "他の人が先に変更しました", "Someone else changed it first",
        "最新の内容を読み込み直し、変更をもう一度適用してください。あなたの変更は保存されていません。",
        "Read the latest version again and reapply your change. Your change was not saved.");

    public static readonly ProblemCode PossibleDuplicate = new(
        "cases.possible-duplicate", 409,
        "同じ子どものケースが既にある可能性があります", "This child may already have a case",
        "candidateCaseIds のケースを確認してください。別の子どもであれば、その ID を confirmedNotDuplicateOf に入れて再送してください。",
        "Check the cases in candidateCaseIds. If the child is a different one, send again with their ids in confirmedNotDuplicateOf.");

    public static readonly ProblemCode AgencyNotCouncilMember = new(
        "cases.agency-not-council-member", 409,
        "協議会の構成機関ではない機関は参加できません", "This agency may not take part in cases",
        "協議会の構成機関で、児童福祉法第25条の5の守秘義務を確認した機関だけがケースに参加できます。例外とする場合は、調整担当者が participationException に理由を記録してください。",
        "Only an agency that is a formal member of the council and has acknowledged the confidentiality duty (Child Welfare Act art. 25-5) may take part in a case. A coordinator may record an exception reason in participationException.");

    public static readonly ProblemCode LegalHold = new(
        "cases.legal-hold", 409,
        "保全（リーガルホールド）の状態により操作できません", "The legal hold does not allow this",
        "このケースの保全の状態では、この操作はできません。",
        "The case's legal hold does not allow this operation.");

    public static readonly ProblemCode NotDisposable = new(
        "cases.not-disposable", 409,
        "このケースはまだ廃棄できません", "This case cannot be disposed of yet",
        "廃棄できるのは、終結が記録されてから保存期間が経過したケースだけです。",
        "Only a case closed longer ago than the retention period can be disposed of.");

    public static readonly ProblemCode DisposalState = new(
        "cases.disposal-state", 409,
        "廃棄の手続の状態により操作できません", "The disposal procedure is not at this step",
        "廃棄の提案・承認の状態を確認してください。",
        "Check where the disposal's proposal and approval stand.");

    public static readonly ProblemCode IdempotencyKeyReused = new(
        "request.idempotency-key-reused", 422,
        "同じ Idempotency-Key が別の内容に使われています", "This Idempotency-Key was used for another request",
        "この Idempotency-Key は別の内容の送信に使われました。新しい内容には新しいキーを使ってください。",
        "The Idempotency-Key was used with a different body. Use a new key for a new request.");

    public static readonly ProblemCode IdempotencyKeyInFlight = new(
        "request.idempotency-key-in-flight", 409,
        "同じ送信を処理中です", "The same request is still being processed",
        "同じ Idempotency-Key の最初の送信をまだ処理しています。数秒待ってから、同じ内容で再送してください。",
        "The first request with this Idempotency-Key is still running. Wait a few seconds, then send the same body again.");

    public static readonly ProblemCode InvalidIdempotencyKey = new(
        "request.invalid-idempotency-key", 400,
        "Idempotency-Key が正しくありません", "The Idempotency-Key is not valid",
        "Idempotency-Key は255文字以内の半角英数字・記号で、1つだけ指定してください（UUID を推奨します）。",
        "Send one Idempotency-Key of at most 255 printable ASCII characters (a UUID is recommended).");

    public static readonly ProblemCode EntryRedacted = new(
        "entries.redacted", 409,
        "この書き込みは削除されています", "This entry's content was removed",
        "調整機関が内容を削除した書き込みは、訂正も再度の削除もできません。",
        "An entry whose content a coordinator removed cannot be corrected or removed again.");

    public static readonly ProblemCode ReferralDecided = new(
        "referrals.decided", 409,
        "この通告は決定済みです", "This referral has been decided",
        "受理会議で決定した通告は、安全確認の記録のほかは変更できません。経過はそのまま残ります。",
        "Once decided, a referral takes safety confirmations only; its history stays as it is.");

    public static readonly ProblemCode SafetyConfirmationRequired = new(
        "referrals.safety-confirmation-required", 409,
        "安全確認が記録されていません", "No safety confirmation is recorded",
        "虐待通告を「これ以上の対応なし」で終えるには、先に安全確認（子どもの目視）を記録するか、確認できない・不要な理由を noConfirmationReason に書いてください。",
        "To close an abuse report with no further action, first record a safety confirmation (someone saw the child), or give in noConfirmationReason why none is possible or needed.");

    public static readonly ProblemCode AttendanceCaseClosed = new(
        "attendance.case-closed", 409,
        "終結したケースです", "The case is closed",
        "終結したケースの児童は出欠の名簿に載せられません。再開してから登録してください。",
        "A child whose case is closed cannot be put on an attendance list. Reopen the case first.");

    public static readonly ProblemCode NotReferredToCentre = new(
        "referrals.not-referred-to-centre", 409,
        "児童相談所への送致がありません", "This referral was not referred to the child guidance centre",
        "受理の記録は、児童相談所へ送致（referred-to-centre）と決定した通告に一度だけできます。",
        "A centre's acceptance can be recorded once, on a referral decided as referred-to-centre.");

    public static readonly ProblemCode ReferralNotDisposable = new(
        "referrals.not-disposable", 409,
        "この通告はまだ廃棄できません", "This referral cannot be disposed of yet",
        "単独で廃棄できるのは、「これ以上の対応なし」で終え、保存期限を過ぎた通告だけです。",
        "Only a referral closed with no further action whose retention period is over can be disposed of on its own.");

    public static readonly ProblemCode FileTooLarge = new(
        "files.too-large", 413,
        "ファイルが大きすぎます", "The file is too large",
        "ファイルが上限を超えています。写真は1枚ずつ、文書はページを分けて送ってください。",
        "The file exceeds the limit. Send photos one at a time and split long documents.");

    public static readonly ProblemCode FileRejected = new(
        "files.rejected", 422,
        "このファイルは受け付けられません", "This file cannot be accepted",
        "reason に理由を示しています。内容を確かめて、別の形式で送り直してください。",
        "reason says why. Check the file and send it again in another form.");

    public static readonly ProblemCode FileNotReady = new(
        "files.not-ready", 409,
        "このファイルはまだ取り出せません", "This file cannot be downloaded yet",
        "安全確認（形式の確認と位置情報の削除）が終わったファイルだけを取り出せます。少し待ってから状態（state）を確かめてください。受け付けられなかったファイルは取り出せません。",
        "Only a file that passed its checks (type, metadata removed) can be downloaded. Wait a moment and check its state; a rejected file cannot be downloaded.");

    public static readonly ProblemCode FileAlreadyAttached = new(
        "files.already-attached", 409,
        "このファイルはすでに書き込みに添付されています", "This file is already attached to an entry",
        "ファイルは1つの書き込みにだけ添付できます。別の書き込みに付けるには、もう一度アップロードしてください。",
        "A file is attached to one entry only. Upload it again to attach it elsewhere.");

    public static readonly ProblemCode DirectUploadUnavailable = new(
        "files.direct-upload-unavailable", 409,
        "ここでは直接アップロードを使えません", "Direct upload is not available here",
        "この環境ではファイルを保存先へ直接アップロードできません（再送しても変わりません）。POST /api/cases/{caseId}/files でアプリ経由で送ってください。",
        "This deployment cannot take files uploaded directly to storage (sending again will not change that). Send the file through the app with POST /api/cases/{caseId}/files.");

    public static readonly ProblemCode UploadIncomplete = new(
        "files.upload-incomplete", 409,
        "アップロードが完了していません", "The upload is not complete",
        "reason に不足しているものを示しています。すべてのブロックを送り、Put Block List で確定してから、もう一度完了を送ってください。",
        "reason says what is missing. Send every block, commit them with Put Block List, then complete again.");

    public static readonly ProblemCode UploadClosed = new(
        "files.upload-closed", 409,
        "このファイルはアップロードを受け付けていません", "This file takes no more uploading",
        "reason に理由を示しています。完了したファイルの状態はファイルの取得で確かめ、期限を過ぎたものは最初から送り直してください。",
        "reason says why. Read a completed file to see its state; start an expired upload again.");

    public static readonly ProblemCode TransfersPartnerNotConfirmed = new(
        "transfers.partner-not-confirmed", 409,
        "移管先が確認済みの相手先ではありません", "The receiver is not a confirmed partner council",
        "移管先の自治体を管理者が相手先として登録し、調整担当者が電話で鍵の指紋を確認してから送ってください。未登録・未確認の相手先には何も送りません。",
        "An admin must register the receiving council as a partner and a coordinator must confirm its key fingerprints by phone first. Nothing is sent to an unregistered or unconfirmed partner.");

    public static readonly ProblemCode TransfersAlreadyTransferring = new(
        "transfers.already-transferring", 409,
        "このケースは移管の手続き中です", "This case is already being transferred",
        "1つのケースで進められる移管は1件です。現在の移管の状態はケースの transfer に示しています。",
        "A case has one transfer at a time; the case's transfer field shows the current one.");

    public static readonly ProblemCode TransfersCaseClosed = new(
        "transfers.case-closed", 409,
        "終結したケースは移管できません", "A closed case cannot be transferred",
        "移管できるのは終結していないケースだけです。必要なら再開してから送ってください。",
        "Only a case that is not closed can be transferred. Reopen it first if needed.");

    public static readonly ProblemCode TransfersNotConfigured = new(
        "transfers.not-configured", 409,
        "この協議会は移管の設定がされていません", "This council is not set up for transfers",
        "自治体コードと署名鍵（Transfers:MunicipalityCode と Transfers:SigningKeyUri、ローカルでは Transfers:SigningKeyPem）を運用担当者が設定してから送ってください。",
        "Ops must set the municipality code and the signing key (Transfers:MunicipalityCode and Transfers:SigningKeyUri, or Transfers:SigningKeyPem locally) first.");

    public static readonly ProblemCode TransfersNotAcknowledged = new(
        "transfers.not-acknowledged", 409,
        "移管先の受領確認がまだです", "The receiving council has not acknowledged the transfer",
        "「移管」で終結できるのは、移管先が受領を確認した後（高リスクのケースは対面引継ぎの記録も済んだ後）です。",
        "A case closes with the outcome transfer only after the receiver acknowledged it (and, for a high-risk case, the face-to-face hand-over was recorded).");

    public static readonly ProblemCode TransfersPackageTooLarge = new(
        "transfers.package-too-large", 409,
        "移管パッケージが大きすぎます", "The transfer package is too large",
        "受け取る側が受け付ける記録とファイルの件数には上限があります。件数と上限は detail に示しています。何も封緘・保存していません。",
        "A receiving council accepts a limited number of timeline entries and file references; the detail gives the counts and the limits. Nothing was sealed or stored.");

    public static readonly ProblemCode TransfersAlreadyAcknowledged = new(
        "transfers.already-acknowledged", 409,
        "移管先が受領を確認済みです", "The receiving council has acknowledged the transfer",
        "受領確認の済んだ移管は取り下げられません。移管先の調整担当者と直接話し合ってください。",
        "An acknowledged transfer cannot be withdrawn. Talk to the receiving council's coordinator directly.");

    public static readonly ProblemCode TransfersNotActive = new(
        "transfers.not-active", 409,
        "この移管は取り下げ済みか、配送に失敗しています", "This transfer was withdrawn or its delivery failed",
        "対面引継ぎを記録できるのは、送付中・配送済み・受領確認済みの移管だけです。ケースの transfer で現在の移管を確かめてください。",
        "A face-to-face hand-over is recorded only on a transfer that is queued, delivered or acknowledged; the case's transfer field shows the current one.");

    public static readonly ProblemCode TransfersAlreadyDecided = new(
        "transfers.already-decided", 409,
        "この移管はすでに受け入れ済みです", "This transfer was already accepted",
        "受け入れた移管は取り消せません。作成したケースは state と caseId で確かめてください（受け入れ前の追加依頼は何度でも送れます）。",
        "An accepted transfer stays accepted; read it to find the case it became (more-requests are possible only before accepting).");

    public static readonly ProblemCode TransfersPackageUnreadable = new(
        "transfers.package-unreadable", 409,
        "受け取った移管パッケージを開けません", "The received transfer package can no longer be opened",
        "この協議会の復号鍵が替わったか、送信元の相手先が確認済みでなくなったか、鍵が変更されています。鍵と相手先の確認を運用担当者と見直すか、送信元に再送を依頼してください。",
        "This council's decryption key changed, or the sending partner is no longer confirmed or changed its keys. Check the keys and the partner's confirmation with ops, or ask the sender to send it again.");

    public static readonly ProblemCode TransfersExportTooLarge = new(
        "transfers.export-too-large", 409,
        "移管ファイルが大きすぎます", "The export file is too large",
        "移管ファイルに入れられる記録・ファイルの件数と大きさには上限があります。件数・大きさと上限は detail に示しています。何も作成していません。",
        "An export file holds a limited number of timeline entries and files and a limited size; the detail gives the counts, the size and the limits. Nothing was made.");

    public static readonly ProblemCode RangeNotSatisfiable = new(
        "request.range-not-satisfiable", 416,
        "指定された範囲はファイルの外です", "The range is outside the file",
        "Range ヘッダーの範囲を、ファイルの大きさ（Content-Range に示した長さ）の内側で指定してください。",
        "Ask for a Range inside the file's length (given in Content-Range).");

    /// <summary>Every refusal of the transfer intake, whatever its reason (unreadable, unknown or unconfirmed sender, not for
    /// this council, undecryptable, bad signature, replay, not a package): one answer, so a prober learns nothing.</summary>
    public static readonly ProblemCode TransferRefused = new(
        "transfers.refused", 403,
        "この移管メッセージは受け付けられません", "This transfer message is not accepted",
        "送信元の自治体がこちらに登録・確認されていること、宛先、暗号化と署名を確かめてください。理由はお答えしません。",
        "Check that the sending council is registered and confirmed here, and the addressee, encryption and signature. No reason is given.");

    public static readonly ProblemCode InternalError = new(
        "server.internal-error", 500,
        "サーバーで問題が発生しました", "Something went wrong on the server",
        "処理は完了していません。しばらくしてから再送してください。続く場合は requestId を添えて管理者に連絡してください。",
        "Nothing was completed. Send again later; if it persists, give the requestId to your administrator.");

    public static readonly ProblemCode StorageUnavailable = new(
        "server.storage-unavailable", 503,
        "データの保存先に接続できません", "Storage is unreachable",
        "処理は完了していません。しばらくしてから再送してください。",
        "Nothing was completed. Send again later.");

    /// <summary>Every code, for the OpenAPI document and for tests.</summary>
    public static IReadOnlyList<ProblemCode> All { get; } = typeof(ProblemCatalogue)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.FieldType == typeof(ProblemCode))
        .Select(field => (ProblemCode)field.GetValue(null)!)
        .OrderBy(code => code.Code, StringComparer.Ordinal)
        .ToList();
}

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

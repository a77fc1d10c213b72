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

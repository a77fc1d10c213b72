namespace Serverless.Files.Direct;

/// <summary>Why a direct upload cannot be completed, listed or given a new address: the detail of a 409, in the
/// caller's language. Keys are stable (clients may switch on them); <c>{name}</c> placeholders come from the refusal.</summary>
public static class DirectUploadRefusals
{
    /// <summary><c>files.upload-incomplete</c>: no block list committed yet.</summary>
    public const string NotCommitted = "not-committed";

    /// <summary><c>files.upload-incomplete</c>: the committed blob is not as long as the size declared at the start.</summary>
    public const string SizeMismatch = "size-mismatch";

    /// <summary><c>files.upload-closed</c>: the upload was completed already.</summary>
    public const string Completed = "completed";

    /// <summary><c>files.upload-closed</c>: the day an upload has was over; the file is about to be deleted.</summary>
    public const string Expired = "expired";

    /// <summary><c>files.upload-closed</c>: the file was sent through the app's function, not uploaded directly.</summary>
    public const string NotDirect = "not-direct";

    public static IReadOnlyDictionary<string, (string Ja, string En)> Messages { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        [NotCommitted] = (
            "ブロックリストがまだ確定されていません（送信済みで未確定のブロックは{stagedBlocks}個、{stagedBytes}バイト）。残りのブロックを送り、Put Block List で確定してから、もう一度完了を送ってください。",
            "No block list has been committed yet ({stagedBlocks} blocks, {stagedBytes} bytes, are staged and uncommitted). Send the remaining blocks, commit them with Put Block List, then complete again."),
        [SizeMismatch] = (
            "確定されたファイルは{committedBytes}バイトで、開始時に申告された{declaredBytes}バイトと一致しません。ブロックの不足や重複を確かめ、正しいブロックリストで確定し直してから、もう一度完了を送ってください。",
            "The committed file is {committedBytes} bytes, not the {declaredBytes} bytes declared at the start. Check for missing or repeated blocks, commit the right block list again, then complete again."),
        [Completed] = (
            "このファイルのアップロードは完了しています。状態（state）はファイルの取得で確かめてください。",
            "This file's upload is complete. Read the file to see its state."),
        [Expired] = (
            "アップロードの開始から24時間が過ぎました。このファイルは削除されます。最初から送り直してください。",
            "More than 24 hours have passed since the upload started; the file will be deleted. Start the upload again."),
        [NotDirect] = (
            "このファイルはアプリ経由で送られたもので、直接アップロードではありません。",
            "This file was sent through the app, not uploaded directly."),
    };
}

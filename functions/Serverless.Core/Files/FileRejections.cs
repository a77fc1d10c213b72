namespace Serverless.Files;

/// <summary>Why a file or its name was refused: the detail its uploader reads, in Japanese by default. Keys are stable
/// (forms may switch on them); each text says what to send instead. <c>{name}</c> placeholders are filled from the
/// rejection's arguments.</summary>
public static class FileRejections
{
    public const string Empty = "empty";
    public const string TooLarge = "too-large";
    public const string UnsupportedType = "unsupported-type";
    public const string Heic = "heic";
    public const string Damaged = "damaged";
    public const string ImageTooLarge = "image-too-large";
    public const string PdfActiveContent = "pdf-active-content";
    public const string PdfEmbeddedFile = "pdf-embedded-file";
    public const string PdfEncrypted = "pdf-encrypted";
    public const string OfficeMacro = "office-macro";
    public const string OfficeEmbeddedObject = "office-embedded-object";
    public const string OfficeExternalLink = "office-external-link";
    public const string ArchiveLimits = "archive-limits";
    public const string CannotInspect = "cannot-inspect";
    public const string NameEmpty = "name-empty";

    private const string Accepted = "受け付けられる形式は、写真（JPEG・PNG）、PDF、Word・Excel・PowerPoint（.docx・.xlsx・.pptx）です。";
    private const string AcceptedEn = "Accepted are photos (JPEG, PNG), PDF, and Word, Excel and PowerPoint files (.docx, .xlsx, .pptx).";

    public static IReadOnlyDictionary<string, (string Ja, string En)> Messages { get; } = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        [Empty] = ("ファイルが空です（0バイト）。送る前にファイルを開いて内容を確認してください。", "The file is empty (0 bytes). Open it to check its content before sending."),
        [TooLarge] = ("ファイルが大きすぎます。上限は{limitMegabytes}MBです。写真は1枚ずつ、文書はページを分けて送ってください。", "The file is too large: the limit is {limitMegabytes} MB. Send photos one at a time, and split documents into parts."),
        [UnsupportedType] = ("この形式のファイルは受け付けていません（ファイル名ではなく内容で判定しています）。" + Accepted, "Files of this kind are not accepted (the content decides, not the name). " + AcceptedEn),
        [Heic] = ("HEIC形式の写真（iPhoneの標準の形式）は受け付けていません。JPEGで送ってください。iPhoneでは「設定」→「カメラ」→「フォーマット」→「互換性優先」を選ぶと、以後の写真がJPEGで保存されます。撮影済みの写真は、パソコンなどでJPEGに書き出してから送り、元の写真は消さずに保管してください。", "HEIC photos (the iPhone's default format) are not accepted: send JPEG. On an iPhone, Settings → Camera → Formats → Most Compatible saves later photos as JPEG. Export photos already taken as JPEG (on a computer, for example) and keep the originals."),
        [Damaged] = ("ファイルが壊れているか、途中までしか届いていません。元のファイルを開けることを確かめてから、もう一度送ってください。", "The file is damaged or arrived incomplete. Check that the original opens, then send it again."),
        [ImageTooLarge] = ("画像の縦横の画素数が大きすぎます（上限は合計{maxMegapixels}メガピクセル）。カメラで撮影した写真をそのまま送ってください。", "The image has too many pixels (at most {maxMegapixels} megapixels). Send the photo as the camera took it."),
        [PdfActiveContent] = ("このPDFにはスクリプトや自動で動く操作（JavaScript、外部の起動、フォームの動作など）が含まれているため受け付けられません。「印刷」からPDFとして保存し直したものを送ってください。", "This PDF contains scripts or actions that run by themselves (JavaScript, launching programs, form actions), so it is not accepted. Print it to a new PDF and send that."),
        [PdfEmbeddedFile] = ("このPDFには別のファイルが埋め込まれているため受け付けられません。埋め込まれたファイルは別に送り、PDFは「印刷」からPDFとして保存し直して送ってください。", "This PDF carries other files inside it, so it is not accepted. Send those files separately, and print the PDF to a new PDF."),
        [PdfEncrypted] = ("パスワードや利用制限のかかったPDFは、内容を確認できないため受け付けていません。保護を解除してから送ってください。", "PDFs protected by a password or permissions cannot be checked, so they are not accepted. Remove the protection, then send it."),
        [OfficeMacro] = ("マクロを含むファイル（.docm・.xlsm・.pptm など）は受け付けていません。マクロなしの形式（.docx・.xlsx・.pptx）で保存し直すか、PDFにして送ってください。", "Files with macros (.docm, .xlsm, .pptm and the like) are not accepted. Save it without macros (.docx, .xlsx, .pptx), or as PDF, and send that."),
        [OfficeEmbeddedObject] = ("このファイルには他のファイルやプログラム部品（埋め込みオブジェクト、ActiveX、グラフの元データなど）が含まれているため受け付けられません。PDFにして送ってください。", "This file contains other files or program parts (embedded objects, ActiveX, a chart's data workbook), so it is not accepted. Send it as PDF."),
        [OfficeExternalLink] = ("このファイルは開くときに外部のファイルやサーバーを読み込むよう設定されているため受け付けられません。PDFにして送ってください。", "This file is set to load files or servers outside it when opened, so it is not accepted. Send it as PDF."),
        [ArchiveLimits] = ("ファイルの内部の構造が上限（部品の数・展開後の大きさ・圧縮率）を超えているため受け付けられません。PDFにして送ってください。", "The file's inner structure exceeds the limits (number of parts, size when unpacked, compression ratio), so it is not accepted. Send it as PDF."),
        [CannotInspect] = ("ファイルの内容を安全か確認できませんでした。PDFは「印刷」からPDFとして保存し直して、そのほかはPDFにして送ってください。", "The file's content could not be checked as safe. Print a PDF to a new PDF, or convert other files to PDF, and send that."),
        [NameEmpty] = ("ファイル名がないか、使えない文字だけでできています。ファイル名を付け直して送ってください。", "The file name is missing or consists only of characters that cannot be used. Rename the file and send it again."),
    };
}

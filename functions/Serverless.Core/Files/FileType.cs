namespace Serverless.Files;

/// <summary>The kinds of file a case accepts, decided from their content, never from their name.</summary>
public enum FileKind
{
    Jpeg,
    Png,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
}

/// <summary>An accepted kind with the content type it is served as and the extension its download name gets.</summary>
public sealed record FileType(FileKind Kind, string ContentType, string Extension)
{
    public static readonly FileType Jpeg = new(FileKind.Jpeg, "image/jpeg", ".jpg");
    public static readonly FileType Png = new(FileKind.Png, "image/png", ".png");
    public static readonly FileType Pdf = new(FileKind.Pdf, "application/pdf", ".pdf");
    public static readonly FileType Docx = new(FileKind.Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx");
    public static readonly FileType Xlsx = new(FileKind.Xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx");
    public static readonly FileType Pptx = new(FileKind.Pptx, "application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx");

    public static IReadOnlyList<FileType> All { get; } = [Jpeg, Png, Pdf, Docx, Xlsx, Pptx];

    /// <summary>Photos lose their identifying metadata before they are stored; other kinds are stored as received.</summary>
    public bool IsPhoto => Kind is FileKind.Jpeg or FileKind.Png;

    public static FileType Of(FileKind kind) => All.Single(type => type.Kind == kind);
}

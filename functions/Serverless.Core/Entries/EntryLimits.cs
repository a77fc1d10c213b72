namespace Serverless.Entries;

/// <summary>
/// Explicit limits of entries. Text is counted in the characters a person sees (𠮷 or a family emoji counts
/// once); because combining marks make one seen character many code units, the UTF-16 length is capped as
/// well, so the text always fits one table string property (64 KiB, 32,768 UTF-16 units).
/// </summary>
public static class EntryLimits
{
    /// <summary>A report's narrative: about ten pages of Japanese.</summary>
    public const int Narrative = 10_000;

    /// <summary>The narrative's cap in UTF-16 code units.</summary>
    public const int NarrativeUtf16 = 20_000;

    /// <summary>A comment: short by design (answers and thanks; a long account is a report).</summary>
    public const int CommentText = 2_000;

    public const int CommentTextUtf16 = 4_000;

    /// <summary>Why a report is corrected or an entry redacted.</summary>
    public const int Reason = 500;

    /// <summary>A form's typed author name and role.</summary>
    public const int SubmitterName = 50;

    public const int SubmitterRole = 50;

    public const int Mentions = 20;

    public const int ScopeAgencies = 30;

    public const int BodyParts = 16;

    /// <summary>Versions of one report (the first and its corrections): all of them fit one table batch with the head.</summary>
    public const int Versions = 50;

    /// <summary>How far ahead of the server's clock an <c>observedAt</c> may be (a phone's clock runs fast).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>School days in one absence report (a school year has about 200).</summary>
    public const int SchoolDaysAbsent = 250;

    public const int DefaultPageSize = 50;

    public const int MaxPageSize = 100;
}

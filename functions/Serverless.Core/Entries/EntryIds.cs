using System.Text.RegularExpressions;
using Serverless.Cases;

namespace Serverless.Entries;

/// <summary>
/// Ids of the entries of a case: a letter for the type (<c>r</c> report, <c>m</c> comment, <c>h</c> a change of
/// the case itself, <c>f</c> a referral (its own id), <c>s</c> a safety confirmation (its own id), <c>w</c> a 7-day attendance alert (fixed by the list entry and the run), <c>v</c> a council review), then 128 random bits like a case id. Opaque: they say nothing about the child or the time.
/// </summary>
public static partial class EntryIds
{
    public static string NewReport() => "r" + CaseIds.RandomPart();

    public static string NewComment() => "m" + CaseIds.RandomPart();

    public static string NewCaseChange() => "h" + CaseIds.RandomPart();

    public static string NewSafetyConfirmation() => "s" + CaseIds.RandomPart();

    public static string NewReview() => "v" + CaseIds.RandomPart();

    /// <summary>A transferred entry's id, fixed by the new case and the sender's entry id: an acceptance retried after a crash
    /// writes the same entries, never a second copy.</summary>
    public static string ForTransferred(string caseId, string originEntryId)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(caseId + "\n" + originEntryId));
        return "x" + CaseIds.Base32(hash.AsSpan(0, 16));
    }

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    public static bool IsReport(string? id) => IsValid(id) && id![0] == 'r';

    [GeneratedRegex("^[rmhfswvx][0-9abcdefghjkmnpqrstvwxyz]{26}$")]
    private static partial Regex Shape();
}

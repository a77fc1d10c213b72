using System.Text.RegularExpressions;
using Serverless.Cases;

namespace Serverless.Files.Storage;

/// <summary>A file's id: <c>a</c> (attachment), then 128 random bits like a case id. Opaque: nothing of the file, its
/// name or the child, so it may appear in blob names, queue messages, URLs and logs.</summary>
public static partial class FileIds
{
    public static string New() => "a" + CaseIds.RandomPart();

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    [GeneratedRegex("^a[0-9abcdefghjkmnpqrstvwxyz]{26}$")]
    private static partial Regex Shape();
}

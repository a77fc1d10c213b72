using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Serverless.Cases;

namespace Serverless.Attendance;

/// <summary>
/// Attendance-list entry ids: <c>l</c> and 128 random bits in lowercase base32, like a case id. Opaque: they say
/// nothing about the child or the case, so the named staff can hand them to their agency's form, whose key submits rows
/// against them and reads nothing.
/// </summary>
public static partial class AttendanceIds
{
    public static string NewEntry() => "l" + CaseIds.RandomPart();

    public static bool IsEntry(string? id) => id is not null && Shape().IsMatch(id);

    /// <summary>The timeline entry of the 7-day alert of one run of absence: fixed by the list entry and the run's first
    /// school day, so raising it again (a resubmission, a retry) finds it and adds nothing.</summary>
    public static string AlertEntry(string listEntryId, string runKey)
        => "w" + CaseIds.Base32(SHA256.HashData(Encoding.UTF8.GetBytes("attendance-alert\n" + listEntryId + "\n" + runKey)).AsSpan(0, 16));

    [GeneratedRegex("^l[0-9abcdefghjkmnpqrstvwxyz]{26}$")]
    private static partial Regex Shape();
}

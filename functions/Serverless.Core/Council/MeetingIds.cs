using Serverless.Cases;

namespace Serverless.Council;

/// <summary>Opaque ids: <c>g</c> for a meeting, <c>k</c> for a task, then 128 random bits like a case id.</summary>
public static class MeetingIds
{
    public static string NewMeeting() => "g" + CaseIds.RandomPart();

    public static string NewTask() => "k" + CaseIds.RandomPart();

    public static bool IsMeeting(string? id) => Shaped(id, 'g');

    public static bool IsTask(string? id) => Shaped(id, 'k');

    private static bool Shaped(string? id, char prefix) => id is { Length: > 1 } && id[0] == prefix && CaseIds.IsValid("c" + id[1..]);
}

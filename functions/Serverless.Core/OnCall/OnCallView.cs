namespace Serverless.OnCall;

/// <summary>
/// The answer of <c>GET</c> and <c>PUT /api/on-call</c>: the schedule, its version (also the ETag header, for
/// If-Match), and who saved it when. Before anyone saved one: empty, version 0, no updatedAt/updatedBy.
/// </summary>
public sealed record OnCallView(OnCallSchedule Schedule, long Version, DateTimeOffset? UpdatedAt, string? UpdatedBy)
{
    public static OnCallView From(StoredOnCall? stored)
        => stored is null
            ? new(new OnCallSchedule { Weekly = [], Exceptions = [] }, 0, null, null)
            : new(stored.Schedule, stored.Version, stored.UpdatedAt, stored.UpdatedBy);
}

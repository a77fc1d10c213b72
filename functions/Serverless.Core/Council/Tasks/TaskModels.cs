namespace Serverless.Council.Tasks;

/// <summary>One role a review gives: exactly one owner (an agency, or a person by id), a due date on or after the meeting.</summary>
public sealed record TaskInput(string? Title = null, string? OwnerAgencyId = null, string? OwnerPersonId = null, DateOnly? DueDate = null);

/// <summary>A task as its case's readers see it. <paramref name="DoneAt"/>: when its owner or a coordinator marked it done.</summary>
public sealed record TaskView(string TaskId, string MeetingId, string Title, string? OwnerAgencyId, string? OwnerPersonId, DateOnly DueDate, bool Overdue, DateTimeOffset? DoneAt, string? DoneBy);

public sealed record TaskList(string CaseId, IReadOnlyList<TaskView> Tasks);

using Serverless.Cases;
using Serverless.Council.Tasks;

namespace Serverless.Council.Meetings;

/// <summary><c>POST /api/meetings</c>. <paramref name="Title"/>: how the council names it ("第3回実務者会議"); the reason of
/// every case version its reviews make. A 代表者会議 (representatives) needs only its date and minutes.</summary>
public sealed record CreateMeetingRequest(MeetingKind? Kind = null, DateOnly? Date = null, string? Title = null, IReadOnlyList<string>? AttendingAgencyIds = null, string? Minutes = null);

public sealed record MeetingView(string MeetingId, MeetingKind Kind, DateOnly Date, string Title, IReadOnlyList<string> AttendingAgencyIds, string? Minutes, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A closure decided by the meeting (status <c>closed</c>): the date and the meeting are the meeting's own.</summary>
public sealed record ReviewClosureInput(ClosureOutcome? Outcome = null, string? Reason = null, string? TransferredTo = null);

/// <summary>
/// <c>POST /api/meetings/{meetingId}/reviews</c> with <c>If-Match</c> set to the case's ETag: one case's review. Status,
/// risk and urgency are saved on the case; the support policy (援助方針) and key person on the review's timeline entry;
/// each task is one role given to an agency or a person, with its due date. <paramref name="NextReviewDate"/>: by
/// default the meeting's date plus the council's cadence (three months); none for a closed case.
/// </summary>
public sealed record ReviewRequest(string? CaseId = null, CaseStatus? Status = null, RiskLevel? RiskLevel = null, Urgency? Urgency = null, string? SupportPolicy = null, string? KeyPerson = null, DateOnly? NextReviewDate = null, IReadOnlyList<TaskInput>? Tasks = null, ReviewClosureInput? Closure = null);

/// <summary>What a review answers: the case as saved (its new ETag too), the review's timeline entry id and the tasks.</summary>
public sealed record ReviewView(string MeetingId, string EntryId, CaseView Case, IReadOnlyList<TaskView> Tasks);

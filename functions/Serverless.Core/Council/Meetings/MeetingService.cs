using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Council.Tasks;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Council.Meetings;

/// <summary>
/// Council meetings (coordinators only) and their reviews of cases. A review is one ETag-safe change of the case through
/// the ordinary update path (<see cref="CaseService.UpdateOpenAsync"/>), the meeting as the version's reason; its timeline
/// entry and its tasks are saved in the version's own batch, so all exist or none does. The tasks' reminder pointers
/// (<see cref="TaskReminders"/>) are written just before.
/// </summary>
public sealed class MeetingService(StorageClients clients, StorageNames names, CaseGate gate, CaseService cases, AgencyDirectory agencies, TaskReminders reminders, IOptions<CouncilOptions> options, TimeProvider clock, ILogger<MeetingService> logger)
{
    public const string TableName = "Meetings";
    public const int MaxTitleLength = 100;
    public const int MaxMinutesLength = 20_000;
    public const int MaxAttendingAgencies = 50;
    public const int MaxSupportPolicyLength = 4_000;
    public const int MaxKeyPersonLength = 100;
    public const int MaxTasks = 20;
    public const int MaxTaskTitleLength = 200;

    private TableClient Table => clients.Tables.GetTableClient(names.Table(TableName));

    public async Task<CaseOutcome<MeetingView>> CreateAsync(Caller caller, CreateMeetingRequest? request, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<MeetingView>.Forbidden();
        }

        if (request is null)
        {
            return new CaseOutcome<MeetingView>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.kind", request.Kind);
        errors.Required("$.date", request.Date);
        errors.NotInFuture("$.date", request.Date, JapanTime.Today(clock).AddYears(1));
        errors.Text("$.title", request.Title, MaxTitleLength);
        errors.LongText("$.minutes", request.Minutes, MaxMinutesLength, MaxMinutesLength);
        errors.Count("$.attendingAgencyIds", request.AttendingAgencyIds, MaxAttendingAgencies);
        if (request.Kind == MeetingKind.Representatives)
        {
            errors.Required("$.minutes", string.IsNullOrWhiteSpace(request.Minutes) ? null : request.Minutes);
        }

        var directory = await agencies.AllAsync(cancellationToken);
        var attending = request.AttendingAgencyIds ?? [];
        for (var i = 0; i < attending.Count; i++)
        {
            if (attending[i] is null || !directory.ContainsKey(attending[i]))
            {
                errors.Add($"$.attendingAgencyIds[{i}]", FieldRules.UnknownAgency);
            }
        }

        if (errors.Any)
        {
            return new CaseOutcome<MeetingView>.Invalid(errors.All);
        }

        var kind = request.Kind!.Value;
        var date = request.Date!.Value;
        var row = new MeetingEntity
        {
            PartitionKey = MeetingIds.NewMeeting(),
            Kind = EntryRows.Name(kind),
            Date = Day(date),
            Title = string.IsNullOrWhiteSpace(request.Title) ? DefaultTitle(kind, date) : request.Title.Trim(),
            AttendingAgencyIds = string.Join(',', attending.Distinct(StringComparer.Ordinal)),
            Minutes = request.Minutes,
            CreatedBy = caller.Id,
            CreatedAt = clock.GetUtcNow(),
        };
        await Table.AddEntityAsync(row, cancellationToken);
        logger.LogInformation("Meeting {MeetingId} recorded by {CallerId}", row.PartitionKey, caller.Id);
        return new CaseOutcome<MeetingView>.Done(View(row));
    }

    public async Task<CaseOutcome<MeetingView>> GetAsync(Caller caller, string meetingId, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<MeetingView>.Forbidden();
        }

        var row = await FindAsync(meetingId, cancellationToken);
        return row is null ? new CaseOutcome<MeetingView>.NotFound() : new CaseOutcome<MeetingView>.Done(View(row));
    }

    /// <summary>One case's review by the meeting. Order: coordinator, meeting, body, the case through the gate (hidden: 404
    /// whatever else is wrong), the meeting's kind, the ETag, then the fields.</summary>
    public async Task<CaseOutcome<ReviewView>> ReviewAsync(Caller caller, string meetingId, ExpectedVersion expected, ReviewRequest? request, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<ReviewView>.Forbidden();
        }

        var meeting = await FindAsync(meetingId, cancellationToken);
        if (meeting is null)
        {
            return new CaseOutcome<ReviewView>.NotFound();
        }

        if (request is null)
        {
            return new CaseOutcome<ReviewView>.Unreadable();
        }

        if (!CaseIds.IsValid(request.CaseId))
        {
            return new CaseOutcome<ReviewView>.Invalid([new ValidationError("$.caseId", request.CaseId is null ? FieldRules.Required : FieldRules.InvalidId)]);
        }

        var gated = await gate.OpenAsync(caller, request.CaseId!, CaseNeed.Manage, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<ReviewView>();
        }

        var kind = EntryRows.Parse<MeetingKind>(meeting.Kind);
        if (kind == MeetingKind.Representatives)
        {
            return new CaseOutcome<ReviewView>.Refused(ProblemCatalogue.MeetingReviewsNoCase);
        }

        if (open.Record.LastReview?.MeetingId == meetingId)
        {
            return new CaseOutcome<ReviewView>.Refused(ProblemCatalogue.CaseAlreadyReviewed);
        }

        var meetingDate = DateOnly.ParseExact(meeting.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var errors = await ValidateAsync(request, meetingDate, cancellationToken);
        if (errors.Any)
        {
            return new CaseOutcome<ReviewView>.Invalid(errors.All);
        }

        var status = request.Status!.Value;
        DateOnly? nextReview = status == CaseStatus.Closed ? null : request.NextReviewDate ?? meetingDate.AddMonths(options.Value.ReviewCadenceMonths);
        var changes = new JsonObject
        {
            ["status"] = Node(status),
            ["riskLevel"] = request.RiskLevel is { } risk ? Node(risk) : null,
            ["urgency"] = request.Urgency is { } urgency ? Node(urgency) : null,
            ["nextReviewDate"] = nextReview is { } next ? Day(next) : null,
        };
        if (status == CaseStatus.Closed && open.Record.Status != CaseStatus.Closed)
        {
            changes["closure"] = JsonSerializer.SerializeToNode(
                new Closure { Outcome = request.Closure!.Outcome!.Value, Reason = request.Closure.Reason!, DecidedOn = meetingDate, Meeting = meeting.Title, TransferredTo = request.Closure.TransferredTo },
                CaseJson.Options);
        }

        var now = clock.GetUtcNow();
        var entryId = EntryIds.NewReview();
        var tasks = (request.Tasks ?? []).Select(task => new TaskEntity
        {
            PartitionKey = open.CaseId,
            TaskId = MeetingIds.NewTask(),
            MeetingId = meetingId,
            ReviewEntryId = entryId,
            Title = task.Title!.Trim(),
            OwnerAgencyId = task.OwnerAgencyId,
            OwnerPersonId = task.OwnerPersonId,
            DueDate = Day(task.DueDate!.Value),
            CreatedAt = now,
        }).ToList();
        tasks.ForEach(task => task.RowKey = TaskEntity.Row(task.TaskId));
        var lastReview = new LastReview { MeetingId = meetingId, MeetingKind = kind, Date = meetingDate };
        var amendment = new CaseAmendment(
            record => record with { LastReview = lastReview },
            (version, saved) => new CaseVersionExtras(
                [new StoredEntry(
                    open.CaseId,
                    entryId,
                    EntryType.Review,
                    now,
                    ObservedAt: null,
                    new EntryAuthor(EntryAuthor.Person, caller.Id, caller.AgencyId),
                    EntryScope.AllParticipants,
                    Version: 1,
                    request.SupportPolicy!.Trim(),
                    Report: null,
                    Comment: null,
                    CaseChange: null,
                    Redaction: null)
                {
                    Review = new ReviewDetails(meetingId, kind, meetingDate, version, saved.Status, saved.RiskLevel, saved.Urgency, saved.NextReviewDate, string.IsNullOrWhiteSpace(request.KeyPerson) ? null : request.KeyPerson.Trim(), [.. tasks.Select(task => task.TaskId)]),
                }],
                tasks));
        // Persist first: the reminder pointers, then the batch (a pointer whose task never came is dropped by the run).
        await reminders.ScheduleAsync(tasks, cancellationToken);
        var reason = $"{meeting.Title}（{KindName(kind)} {meeting.Date}）での進行管理";
        var updated = await cases.UpdateOpenAsync(caller, open, expected, new UpdateCaseRequest(reason, changes), amendment, cancellationToken);
        if (updated is not CaseOutcome<CaseView>.Done { Value: var view })
        {
            return updated.As<ReviewView>();
        }

        logger.LogInformation("Case {CaseId} reviewed by meeting {MeetingId}: version {Version}, {Tasks} tasks", open.CaseId, meetingId, view.Version, tasks.Count);
        var today = JapanTime.Today(clock);
        return new CaseOutcome<ReviewView>.Done(new ReviewView(meetingId, entryId, view, [.. tasks.Select(task => TaskService.View(task, today))]));
    }

    private async Task<ValidationErrors> ValidateAsync(ReviewRequest request, DateOnly meetingDate, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("$.status", request.Status);
        errors.Required("$.supportPolicy", string.IsNullOrWhiteSpace(request.SupportPolicy) ? null : request.SupportPolicy);
        errors.Text("$.supportPolicy", request.SupportPolicy, MaxSupportPolicyLength, multiline: true);
        errors.Text("$.keyPerson", request.KeyPerson, MaxKeyPersonLength);
        errors.Count("$.tasks", request.Tasks, MaxTasks);
        if (request.NextReviewDate is { } next && next <= meetingDate)
        {
            errors.Add("$.nextReviewDate", FieldRules.DateOrder);
        }

        if (request.Status == CaseStatus.Closed)
        {
            errors.Required("$.closure", request.Closure);
            if (request.Closure is { } closure)
            {
                errors.Required("$.closure.outcome", closure.Outcome);
                errors.Required("$.closure.reason", string.IsNullOrWhiteSpace(closure.Reason) ? null : closure.Reason);
            }
        }
        else if (request.Closure is not null)
        {
            errors.Add("$.closure", FieldRules.NotForOutcome);
        }

        var directory = await agencies.AllAsync(cancellationToken);
        var tasks = request.Tasks ?? [];
        for (var i = 0; i < Math.Min(tasks.Count, MaxTasks); i++)
        {
            var task = tasks[i];
            var at = $"$.tasks[{i}]";
            if (task is null)
            {
                errors.Add(at, FieldRules.Required);
                continue;
            }

            errors.Required(at + ".title", string.IsNullOrWhiteSpace(task.Title) ? null : task.Title);
            errors.Text(at + ".title", task.Title, MaxTaskTitleLength);
            errors.Required(at + ".dueDate", task.DueDate);
            if (task.DueDate is { } due && due < meetingDate)
            {
                errors.Add(at + ".dueDate", FieldRules.DateOrder);
            }

            if ((task.OwnerAgencyId is null) == (task.OwnerPersonId is null))
            {
                errors.Add(at + ".ownerAgencyId", FieldRules.Required); // exactly one owner: an agency or a person
            }
            else if (task.OwnerAgencyId is { } agency && !directory.ContainsKey(agency))
            {
                errors.Add(at + ".ownerAgencyId", FieldRules.UnknownAgency);
            }
            else if (task.OwnerPersonId is { } person && !Identity.People.PersonIds.IsValid(person))
            {
                errors.Add(at + ".ownerPersonId", FieldRules.InvalidId);
            }
        }

        return errors;
    }

    private async Task<MeetingEntity?> FindAsync(string meetingId, CancellationToken cancellationToken)
    {
        if (!MeetingIds.IsMeeting(meetingId))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<MeetingEntity>(meetingId, MeetingEntity.Row, cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    private static MeetingView View(MeetingEntity row)
        => new(row.PartitionKey, EntryRows.Parse<MeetingKind>(row.Kind), DateOnly.ParseExact(row.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture), row.Title,
            row.AttendingAgencyIds.Length == 0 ? [] : row.AttendingAgencyIds.Split(','), row.Minutes, row.CreatedBy, JapanTime.ToJapan(row.CreatedAt));

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, CaseJson.Options);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string DefaultTitle(MeetingKind kind, DateOnly date) => $"{KindName(kind)} {Day(date)}";

    public static string KindName(MeetingKind kind) => kind switch
    {
        MeetingKind.Intake => "受理会議",
        MeetingKind.CaseConference => "個別ケース検討会議",
        MeetingKind.Practitioners => "実務者会議",
        MeetingKind.Representatives => "代表者会議",
        _ => kind.ToString(),
    };
}

using Serverless.Identity.People;
using Serverless.Validation;

namespace Serverless.OnCall;

/// <summary>
/// Validates a whole schedule as sent, every problem at once by JSON path (indexes as in the request). The
/// people must be coordinators on the day of the change; an exception already over is checked for its shape
/// only (it is dropped when saved, so a person who has left since does not block the save).
/// </summary>
public static class OnCallValidator
{
    public static IReadOnlyList<ValidationError> Validate(OnCallSchedule schedule, DateTimeOffset now, IReadOnlySet<string> coordinators)
    {
        var errors = new ValidationErrors();
        var weekly = schedule.Weekly;
        var exceptions = schedule.Exceptions;
        errors.Count("$.weekly", weekly, OnCallLimits.WeeklySlots);
        errors.Count("$.exceptions", exceptions, OnCallLimits.Exceptions);

        for (var i = 0; i < weekly.Count; i++)
        {
            var path = $"$.weekly[{i}]";
            if (weekly[i] is not { } slot)
            {
                errors.Add(path, FieldRules.Required);
                continue;
            }

            Time(path + ".from", slot.From, errors);
            Time(path + ".to", slot.To, errors);
            if (slot.PersonIds.Count == 0)
            {
                errors.Add(path + ".personIds", FieldRules.Required); // a slot of nobody is no slot: leave it out
                continue;
            }

            People(path + ".personIds", slot.PersonIds, coordinators, errors);
        }

        for (var i = 0; i < exceptions.Count; i++)
        {
            var path = $"$.exceptions[{i}]";
            if (exceptions[i] is not { } exception)
            {
                errors.Add(path, FieldRules.Required);
                continue;
            }

            var before = errors.All.Count;

            // Both or neither: without them the exception covers the whole day.
            if (exception.From is not null || exception.To is not null)
            {
                Time(path + ".from", exception.From, errors);
                Time(path + ".to", exception.To, errors);
            }

            errors.Text(path + ".note", exception.Note, OnCallLimits.Note);
            var over = errors.All.Count == before && OnCallRota.HasEnded(exception, now);
            People(path + ".personIds", exception.PersonIds, over ? null : coordinators, errors);
        }

        return errors.All;
    }

    private static void Time(string field, string? value, ValidationErrors errors)
    {
        if (value is null)
        {
            errors.Add(field, FieldRules.Required);
        }
        else if (!OnCallTimes.IsValid(value))
        {
            errors.Add(field, FieldRules.InvalidValue);
        }
    }

    /// <param name="coordinators">Null: the shape alone is checked.</param>
    private static void People(string field, IReadOnlyList<string> personIds, IReadOnlySet<string>? coordinators, ValidationErrors errors)
    {
        errors.Count(field, personIds, OnCallLimits.PeoplePerSlot);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var j = 0; j < personIds.Count; j++)
        {
            var path = $"{field}[{j}]";
            var personId = personIds[j];
            if (!PersonIds.IsValid(personId))
            {
                errors.Add(path, FieldRules.InvalidId);
            }
            else if (!seen.Add(personId))
            {
                errors.Add(path, FieldRules.Duplicate);
            }
            else if (coordinators is not null && !coordinators.Contains(personId))
            {
                errors.Add(path, FieldRules.NotACoordinator);
            }
        }
    }
}

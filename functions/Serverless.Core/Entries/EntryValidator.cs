using System.Globalization;
using System.Text.RegularExpressions;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Entries;

/// <summary>
/// The rules of reports and comments, each error with its JSON path. Nothing is stored unless this finds nothing.
/// </summary>
public static partial class EntryValidator
{
    /// <summary>Validates a report; <paramref name="observedAt"/> is the parsed time when it is valid.</summary>
    public static IReadOnlyList<ValidationError> Report(ReportRequest report, Caller caller, CaseRecord record, DateTimeOffset now, string prefix, out DateTimeOffset observedAt)
    {
        var errors = new ValidationErrors();
        observedAt = TimeWithOffset(errors, prefix + ".observedAt", report.ObservedAt, now);
        errors.Required(prefix + ".kind", report.Kind);
        errors.Required(prefix + ".narrative", report.Narrative);
        errors.LongText(prefix + ".narrative", report.Narrative, EntryLimits.Narrative, EntryLimits.NarrativeUtf16);
        Scope(errors, prefix + ".scope", report.Scope, record, JapanTime.DateOf(now));
        if (report.Absence is { } absence)
        {
            if (report.Kind != ReportKind.Attendance)
            {
                errors.Add(prefix + ".absence", FieldRules.NotForKind);
            }

            errors.Required(prefix + ".absence.from", absence.From);
            errors.Required(prefix + ".absence.to", absence.To);
            errors.Required(prefix + ".absence.reasonGiven", absence.ReasonGiven);
            if (absence.To < absence.From)
            {
                errors.Add(prefix + ".absence.to", FieldRules.DateOrder);
            }

            errors.NotInFuture(prefix + ".absence.to", absence.To, JapanTime.DateOf(now));
            if (absence.SchoolDaysAbsent is < 0 or > EntryLimits.SchoolDaysAbsent)
            {
                errors.Add(prefix + ".absence.schoolDaysAbsent", FieldRules.OutOfRange, Range(0, EntryLimits.SchoolDaysAbsent));
            }
        }

        if (report.Injury is { } injury)
        {
            if (report.Kind != ReportKind.Injury)
            {
                errors.Add(prefix + ".injury", FieldRules.NotForKind);
            }

            if (injury.BodyParts.Count == 0)
            {
                errors.Add(prefix + ".injury.bodyParts", FieldRules.Required);
            }

            errors.Count(prefix + ".injury.bodyParts", injury.BodyParts, EntryLimits.BodyParts);
            if (injury.BodyParts.Distinct().Count() != injury.BodyParts.Count)
            {
                errors.Add(prefix + ".injury.bodyParts", FieldRules.Duplicate);
            }
        }

        Submitter(errors, prefix + ".submittedBy", report.SubmittedBy, caller);
        return errors.All;
    }

    /// <summary>The comment's own fields (its scope and mentions are checked against the case by <see cref="CommentService"/>).</summary>
    public static void CommentText(ValidationErrors errors, CommentRequest comment)
    {
        errors.Required("$.text", comment.Text);
        errors.LongText("$.text", comment.Text, EntryLimits.CommentText, EntryLimits.CommentTextUtf16);
        var mentions = (comment.Mentions?.PersonIds.Count ?? 0) + (comment.Mentions?.AgencyIds.Count ?? 0);
        if (mentions > EntryLimits.Mentions)
        {
            errors.Add("$.mentions", FieldRules.TooMany, new Dictionary<string, string> { ["max"] = EntryLimits.Mentions.ToString(CultureInfo.InvariantCulture) });
        }
    }

    /// <summary>A reason for a correction or a redaction.</summary>
    public static void Reason(ValidationErrors errors, string field, string? reason)
    {
        errors.Required(field, reason);
        errors.Text(field, reason, EntryLimits.Reason, multiline: true);
    }

    /// <summary>
    /// A scope: named agencies need at least one, each taking part in the case today (a scope can only narrow
    /// who sees an entry among those who see the case); other audiences name none.
    /// </summary>
    public static void Scope(ValidationErrors errors, string field, ScopeInput? scope, CaseRecord record, DateOnly today)
    {
        if (scope is null || scope.Audience is null)
        {
            errors.Add(scope is null ? field : field + ".audience", FieldRules.Required);
            return;
        }

        if (scope.Audience != EntryAudience.NamedAgencies)
        {
            if (scope.AgencyIds.Count > 0)
            {
                errors.Add(field + ".agencyIds", FieldRules.NotForCategory);
            }

            return;
        }

        if (scope.AgencyIds.Count == 0)
        {
            errors.Add(field + ".agencyIds", FieldRules.Required);
        }

        errors.Count(field + ".agencyIds", scope.AgencyIds, EntryLimits.ScopeAgencies);
        for (var i = 0; i < scope.AgencyIds.Count; i++)
        {
            if (!CaseAccess.AgencyTakesPart(scope.AgencyIds[i], record, today))
            {
                errors.Add($"{field}.agencyIds[{i}]", FieldRules.AgencyNotOnCase);
            }
        }
    }

    /// <summary>A form's key must say who filled it in; a person must not (their sign-in says it).</summary>
    public static void Submitter(ValidationErrors errors, string field, SubmitterInput? submitter, Caller caller)
    {
        if (caller.Kind != CallerKind.SubmissionKey)
        {
            if (submitter is not null)
            {
                errors.Add(field, FieldRules.ServerManaged);
            }

            return;
        }

        if (submitter is null)
        {
            errors.Add(field, FieldRules.Required);
            return;
        }

        errors.Required(field + ".name", submitter.Name);
        errors.Text(field + ".name", submitter.Name, EntryLimits.SubmitterName);
        errors.Text(field + ".role", submitter.Role, EntryLimits.SubmitterRole);
    }

    /// <summary>A required time with its offset, not ahead of the server's clock (beyond <see cref="EntryLimits.ClockSkew"/>)
    /// nor before 1990; default when it is not valid (the error is added).</summary>
    public static DateTimeOffset TimeWithOffset(ValidationErrors errors, string field, string? text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            errors.Add(field, FieldRules.Required);
            return default;
        }

        if (!TryParseWithOffset(text, out var at))
        {
            errors.Add(field, FieldRules.OffsetRequired);
            return default;
        }

        if (at > now + EntryLimits.ClockSkew)
        {
            errors.Add(field, FieldRules.FutureDate);
        }
        else if (at.Year < 1990)
        {
            errors.Add(field, FieldRules.InvalidValue);
        }

        return at;
    }

    /// <summary>An ISO 8601 time that states its offset (<c>2025-06-16T08:10:00+09:00</c>, <c>…Z</c>): without one the
    /// server's own zone would be guessed.</summary>
    public static bool TryParseWithOffset(string text, out DateTimeOffset at)
    {
        at = default;
        return WithOffset().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
    }

    private static Dictionary<string, string> Range(int min, int max)
        => new() { ["min"] = min.ToString(CultureInfo.InvariantCulture), ["max"] = max.ToString(CultureInfo.InvariantCulture) };

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex WithOffset();
}

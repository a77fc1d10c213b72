using Serverless.Cases;
using Serverless.Idempotency;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Time;
using Serverless.Validation;

namespace Serverless.Entries;

/// <summary>
/// Comments: how agencies answer, ask and thank each other, on the case or in reply to a report or a comment.
/// A reply is never seen more widely than what it answers, and a mention of someone who could not see the
/// comment is refused (never a silent widening of its scope). People comment; a form's key only reports.
/// </summary>
public sealed class CommentService(CaseGate gate, EntryStore entries, EntryWriter writer, PeopleDirectory people, Files.Attachments.FileAttachments attachments, TimeProvider clock)
{
    /// <param name="collection">The comments' URL (<c>/api/cases/{caseId}/comments</c>).</param>
    public async Task<CaseOutcome<EntryAdded>> AddAsync(Caller caller, string caseId, CommentRequest? request, IdempotencyKey? key, string collection, CancellationToken cancellationToken)
    {
        var gated = await gate.OpenAsync(caller, caseId, CaseNeed.AddEntry, cancellationToken);
        if (gated is not CaseOutcome<OpenCase>.Done { Value: var open })
        {
            return gated.As<EntryAdded>();
        }

        if (caller.Kind == CallerKind.SubmissionKey)
        {
            return new CaseOutcome<EntryAdded>.Forbidden();
        }

        if (request is null)
        {
            return new CaseOutcome<EntryAdded>.Unreadable();
        }

        // A reply to an entry the caller cannot see answers like a missing one, before anything else is said.
        StoredEntry? parent = null;
        if (request.InReplyTo is { } parentId)
        {
            var versions = EntryIds.IsValid(parentId) && parentId[0] is 'r' or 'm' ? await entries.VersionsAsync(caseId, parentId, cancellationToken) : [];
            parent = versions.Count > 0 ? versions[^1] : null;
            if (parent is null)
            {
                return new CaseOutcome<EntryAdded>.NotFound();
            }

            if (!EntryVisibility.Sees(caller, open, parent))
            {
                caller.Audit.MarkHidden(); // the audit alone is told the entry exists
                return new CaseOutcome<EntryAdded>.NotFound(Hidden: true);
            }
        }

        if (await writer.ReplayAsync(caseId, key, cancellationToken) is { } replayed)
        {
            return replayed;
        }

        var now = clock.GetUtcNow();
        var today = JapanTime.DateOf(now);
        var errors = new ValidationErrors();
        EntryValidator.CommentText(errors, request);
        var scope = ScopeOf(errors, request, parent, open.Record, today);
        if (!errors.Any)
        {
            await CheckMentionsAsync(errors, request.Mentions, scope, caller.AgencyId, open.Record, today, cancellationToken);
        }

        var entryId = EntryIds.NewComment();
        var files = await attachments.PrepareAsync(caller, caseId, request.Files, entryId, now, errors, "$.files", cancellationToken);
        if (errors.Any)
        {
            return new CaseOutcome<EntryAdded>.Invalid(errors.All);
        }

        var mentions = request.Mentions is { } given && (given.PersonIds.Count > 0 || given.AgencyIds.Count > 0)
            ? new MentionsInput { PersonIds = [.. given.PersonIds.Distinct(StringComparer.Ordinal)], AgencyIds = [.. given.AgencyIds.Distinct(StringComparer.Ordinal)] }
            : null;
        var entry = new StoredEntry(
            caseId,
            entryId,
            EntryType.Comment,
            now,
            ObservedAt: null,
            new EntryAuthor(EntryAuthor.Person, caller.Id, caller.AgencyId),
            scope!,
            Version: 1,
            request.Text,
            Report: null,
            new CommentDetails(parent?.EntryId, mentions),
            CaseChange: null,
            Redaction: null)
        {
            VersionAt = now,
            VersionBy = caller.Id,
            FileIds = files.Files.Count > 0 ? files.FileIds : null,
        };
        return await writer.AddAsync(caller, entry, key, collection + "/" + entry.EntryId, cancellationToken, files);
    }

    /// <summary>The comment's scope: as given (within the parent's for a reply), or, for a reply, everyone who sees
    /// the parent (its author's agency included: an answer reaches whoever asked), or all participants.</summary>
    private static EntryScope? ScopeOf(ValidationErrors errors, CommentRequest request, StoredEntry? parent, CaseRecord record, DateOnly today)
    {
        if (request.Scope is null)
        {
            return parent is null ? EntryScope.AllParticipants
                : parent.Scope.Audience == EntryAudience.AllParticipants ? parent.Scope
                : new EntryScope(EntryAudience.NamedAgencies, [.. parent.Scope.AgencyIds.Append(parent.Author.AgencyId).Distinct(StringComparer.Ordinal)]);
        }

        var before = errors.All.Count;
        EntryValidator.Scope(errors, "$.scope", request.Scope, record, today);
        if (errors.All.Count > before)
        {
            return null;
        }

        var scope = request.Scope.ToScope();
        if (parent is not null && !WithinParent(scope, parent))
        {
            errors.Add("$.scope", FieldRules.ScopeWiderThanParent);
        }

        return scope;
    }

    /// <summary>Every agency that would see the reply (besides coordinators and its author's) already sees the parent.</summary>
    private static bool WithinParent(EntryScope scope, StoredEntry parent) => scope.Audience switch
    {
        EntryAudience.CoordinatorsOnly => true,
        EntryAudience.AllParticipants => parent.Scope.Audience == EntryAudience.AllParticipants,
        EntryAudience.NamedAgencies => scope.AgencyIds.All(agency => CaseAccess.AgencySeesEntry(agency, parent.Scope, parent.Author.AgencyId)),
        _ => false,
    };

    /// <summary>Each mention is of someone on the case (a named person, a coordinator, an agency taking part) who would see the comment.</summary>
    private async Task CheckMentionsAsync(ValidationErrors errors, MentionsInput? mentions, EntryScope? scope, string authorAgencyId, CaseRecord record, DateOnly today, CancellationToken cancellationToken)
    {
        if (mentions is null || scope is null)
        {
            return;
        }

        IReadOnlyList<string>? coordinators = null;
        for (var i = 0; i < mentions.PersonIds.Count; i++)
        {
            var personId = mentions.PersonIds[i];
            var field = $"$.mentions.personIds[{i}]";
            if (record.BarredPersonIds.Contains(personId, StringComparer.Ordinal))
            {
                errors.Add(field, FieldRules.NotOnCase); // a bar is for coordinators to know: it reads as "not on the case"
                continue;
            }

            var named = record.Staff.Where(staff => staff.PersonId == personId).ToList();
            if (named.Count > 0)
            {
                if (!named.Any(staff => CaseAccess.AgencyTakesPart(staff.AgencyId, record, today) && CaseAccess.AgencySeesEntry(staff.AgencyId, scope, authorAgencyId)))
                {
                    errors.Add(field, FieldRules.MentionCannotSee);
                }

                continue;
            }

            coordinators ??= await people.CoordinatorsOnAsync(today, cancellationToken);
            if (!coordinators.Contains(personId, StringComparer.Ordinal))
            {
                errors.Add(field, FieldRules.NotOnCase); // coordinators see every entry; anyone else must be named on the case
            }
        }

        for (var i = 0; i < mentions.AgencyIds.Count; i++)
        {
            var agencyId = mentions.AgencyIds[i];
            var field = $"$.mentions.agencyIds[{i}]";
            if (!CaseAccess.AgencyTakesPart(agencyId, record, today))
            {
                errors.Add(field, FieldRules.NotOnCase);
            }
            else if (!CaseAccess.AgencySeesEntry(agencyId, scope, authorAgencyId))
            {
                errors.Add(field, FieldRules.MentionCannotSee);
            }
        }
    }
}

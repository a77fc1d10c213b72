using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Identity.SubmissionKeys;

namespace Serverless.DevHost;

/// <summary>
/// Writes demo timelines (<see cref="DemoCaseTimeline"/>) through the app's own services, exactly as the people and
/// forms would over HTTP, so each entry meets the same rules (who may write, scopes, mentions). Every outcome is
/// checked: the first refusal throws.
/// </summary>
public sealed class DemoTimelineWriter(ReportService reports, CommentService comments, CaseService cases, SubmissionKeyService keys, Serverless.Files.Upload.FileUploads uploads, Serverless.Files.Validation.FileValidationQueue validation, ILogger<DemoTimelineWriter> logger)
{
    /// <summary>A demo person signed in through their one membership, with a fresh audit note per request.</summary>
    public static Caller Person(string subject)
    {
        var person = DemoPeople.Person(subject);
        return new Caller(person.PersonId, person.AgencyId, person.Role) { MembershipId = person.Membership.MembershipId, MayBreakGlass = person.MayBreakGlass };
    }

    /// <summary>Issues a real submission key for an agency's form, as an admin would (its secret is dropped here:
    /// nobody can use it), and returns the caller the form's requests would authenticate as.</summary>
    public async Task<Caller> FormAsync(string agencyId, string label, CancellationToken cancellationToken)
    {
        var outcome = await keys.IssueAsync(agencyId, label, expiresAt: null, [], [], DemoPeople.PersonId("admin-kobayashi"), cancellationToken);
        if (outcome is not SubmissionKeyOutcome<IssuedSubmissionKey>.Done { Value.Info: var key })
        {
            throw DemoRefusedException.Log(logger, "issuing a form's key", outcome);
        }

        return new Caller(key.KeyId, key.AgencyId, CallerRole.Submitter) { Kind = CallerKind.SubmissionKey };
    }

    /// <summary>Starts writing one case's timeline (its registration is already on it).</summary>
    public DemoCaseTimeline Open(string caseId) => new(reports, comments, cases, uploads, validation, logger, caseId);
}

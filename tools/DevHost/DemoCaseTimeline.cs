using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Identity;

namespace Serverless.DevHost;

/// <summary>One case's timeline being written, and what has been written so far (counts only).</summary>
public sealed class DemoCaseTimeline(ReportService reports, CommentService comments, CaseService cases, Serverless.Files.Upload.FileUploads uploads, Serverless.Files.Validation.FileValidationQueue validation, ILogger logger, string caseId)
{
    private int reportCount;
    private int commentCount;
    private int correctionCount;
    private int caseChangeCount = 1; // its registration

    /// <summary>A report by a demo person (by subject); returns its id.</summary>
    public Task<string> ReportAsync(string subject, ReportRequest report, CancellationToken cancellationToken)
        => ReportAsync(DemoTimelineWriter.Person(subject), report, cancellationToken);

    /// <summary>A report by a person or a form's key (<see cref="DemoTimelineWriter.FormAsync"/>); returns its id.</summary>
    public async Task<string> ReportAsync(Caller caller, ReportRequest report, CancellationToken cancellationToken)
    {
        var outcome = await reports.SubmitAsync(caller with { Audit = new() }, caseId, report, key: null, $"/api/cases/{caseId}/reports", cancellationToken);
        reportCount++;
        return EntryId(outcome, $"submitting report {reportCount}");
    }

    /// <summary>A file uploaded by a demo person and validated at once (as the queue would a moment later); returns its id.</summary>
    public async Task<string> FileAsync(string subject, string name, byte[] content, CancellationToken cancellationToken)
    {
        var outcome = await uploads.ReceiveAsync(
            DemoTimelineWriter.Person(subject),
            caseId,
            () => Task.FromResult<Serverless.Files.Upload.UploadBody>(new Serverless.Files.Upload.UploadBody.Readable(name, content.Length, new MemoryStream(content))),
            Serverless.Problems.ProblemLanguage.Japanese,
            cancellationToken);
        if (outcome is not CaseOutcome<Serverless.Files.Upload.FileAccepted>.Done { Value: var accepted })
        {
            throw DemoRefusedException.Log(logger, "uploading a file", caseId, outcome);
        }

        await validation.ValidateAsync(caseId, accepted.FileId, cancellationToken);
        return accepted.FileId;
    }

    public async Task<string> CommentAsync(string subject, CommentRequest comment, CancellationToken cancellationToken)
    {
        var outcome = await comments.AddAsync(DemoTimelineWriter.Person(subject), caseId, comment, key: null, $"/api/cases/{caseId}/comments", cancellationToken);
        commentCount++;
        return EntryId(outcome, $"adding comment {commentCount}");
    }

    /// <summary>A new version of a report, by its author's agency, with why.</summary>
    public async Task CorrectAsync(string subject, string reportId, string reason, ReportRequest report, CancellationToken cancellationToken)
    {
        var outcome = await reports.CorrectAsync(DemoTimelineWriter.Person(subject), caseId, reportId, new CorrectionRequest { Reason = reason, Report = report }, cancellationToken);
        correctionCount++;
        if (outcome is not CaseOutcome<ReportView>.Done)
        {
            throw DemoRefusedException.Log(logger, $"correcting report {reportId}", caseId, outcome);
        }
    }

    /// <summary>A coordinator brings an agency onto the case and names one of its people: the case change lands on the timeline.</summary>
    public async Task JoinAsync(string coordinator, string agencyId, DateOnly from, string staffSubject, string reason, CancellationToken cancellationToken)
    {
        var caller = DemoTimelineWriter.Person(coordinator);
        var read = await cases.GetAsync(caller, caseId, cancellationToken);
        if (read is not CaseOutcome<CaseView>.Done { Value: var current })
        {
            throw DemoRefusedException.Log(logger, "reading the case to change it", caseId, read);
        }

        var changes = new JsonObject
        {
            ["participants"] = JsonSerializer.SerializeToNode(current.Record.Participants.Append(new Participation { AgencyId = agencyId, From = from }), CaseJson.Options),
            ["staff"] = JsonSerializer.SerializeToNode(current.Record.Staff.Append(DemoData.Named(staffSubject)), CaseJson.Options),
        };
        var changed = await cases.UpdateAsync(caller with { Audit = new() }, caseId, new ExpectedVersion(current.Version), new UpdateCaseRequest(reason, changes), cancellationToken);
        caseChangeCount++;
        if (changed is not CaseOutcome<CaseView>.Done)
        {
            throw DemoRefusedException.Log(logger, "adding a participant", caseId, changed);
        }
    }

    /// <summary>Logs what was written (counts only) and returns how many entries the timeline holds.</summary>
    public int Done()
    {
        logger.LogInformation(
            "Demo timeline of case {CaseId}: {ReportCount} reports ({CorrectionCount} corrected), {CommentCount} comments, {CaseChangeCount} case changes",
            caseId, reportCount, correctionCount, commentCount, caseChangeCount);
        return reportCount + commentCount + caseChangeCount;
    }

    private string EntryId(CaseOutcome<EntryAdded> outcome, string step)
    {
        if (outcome is not CaseOutcome<EntryAdded>.Done { Value.Response.Body: var receipt })
        {
            throw DemoRefusedException.Log(logger, step, caseId, outcome);
        }

        return (string)JsonNode.Parse(receipt)!["entryId"]!;
    }
}

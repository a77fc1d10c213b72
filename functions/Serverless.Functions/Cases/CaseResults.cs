using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Serverless.Cases;
using Serverless.Cases.Listing;
using Serverless.Functions.Http;
using Serverless.Problems;

namespace Serverless.Functions.Cases;

/// <summary>Maps case outcomes to HTTP: one status and problem code per kind of outcome.</summary>
public static class CaseResults
{
    public static IActionResult From<T>(CaseOutcome<T> outcome, RequestContext context, Func<T, IActionResult> done)
    {
        // What the audit needs beyond the status code (hidden, break-glass, what was touched) the case gate
        // and the services have noted on the caller already.
        return outcome switch
        {
            CaseOutcome<T>.Done ok => done(ok.Value),
            CaseOutcome<T>.NotFound => context.Problem(ProblemCatalogue.NotFound),
            CaseOutcome<T>.Forbidden => context.Problem(ProblemCatalogue.Forbidden),
            CaseOutcome<T>.Invalid invalid => context.Invalid(invalid.Errors),
            CaseOutcome<T>.PreconditionRequired => context.Problem(ProblemCatalogue.PreconditionRequired),
            CaseOutcome<T>.PreconditionFailed failed => new WithHeaderResult(context.Problem(ProblemCatalogue.PreconditionFailed), "ETag", ETag(failed.CurrentVersion)),
            CaseOutcome<T>.PossibleDuplicate duplicate => PossibleDuplicate(context, duplicate.CandidateCaseIds, duplicate.HiddenCandidate),
            CaseOutcome<T>.KeyConflict conflict => context.Problem(conflict.Problem),
            CaseOutcome<T>.Refused refused => Refusal(context, refused.Problem, refused.Reason, refused.Arguments),
            CaseOutcome<T>.Unreadable => throw new InvalidOperationException("The caller answers an unreadable body with the reader's own problem."),
            _ => throw new InvalidOperationException($"Unmapped outcome {outcome.GetType().Name}"),
        };
    }

    /// <summary>A case as JSON with its ETag (the version, strong: it changes with every saved change).</summary>
    public static IActionResult Case(CaseView view)
        => new WithHeaderResult(new ApiResult(StatusCodes.Status200OK, view), "ETag", ETag(view.Version));

    /// <summary>201 with the new case's ETag and its URL (under whatever route prefix the host uses).</summary>
    public static IActionResult Created(CaseView view, PathString collection)
        => new WithHeaderResult(
            new WithHeaderResult(new ApiResult(StatusCodes.Status201Created, view), "ETag", ETag(view.Version)),
            "Location",
            collection.Add("/" + view.CaseId).Value!);

    public static string ETag(long version) => "\"v" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>Reads <c>If-Match</c>: absent or <c>*</c> is missing (428: an update must name the version it
    /// read); a weak or foreign ETag never matches (412).</summary>
    public static ExpectedVersion ExpectedVersion(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return Serverless.Cases.ExpectedVersion.Missing;
        }

        // Strong comparison: only the exact tag we issued ("v3", not "v03" nor W/"v3") names a version.
        return header.StartsWith("\"v", StringComparison.Ordinal) && header.EndsWith('"')
            && long.TryParse(header.AsSpan(2, header.Length - 3), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            && header == ETag(version)
            ? new ExpectedVersion(version)
            : Serverless.Cases.ExpectedVersion.Unmatchable;
    }

    /// <summary>A refusal: its problem, with the reason's own detail and key when it has one; a range outside the file
    /// also says the file's length (<c>Content-Range: bytes */length</c>, RFC 9110).</summary>
    private static IActionResult Refusal(RequestContext context, ProblemCode code, string? reason, IReadOnlyDictionary<string, string>? arguments)
    {
        var problem = context.Problem(code, RefusalDetail(reason, arguments, context.Language == ProblemLanguage.English));
        IActionResult result = reason is null ? problem : new ApiResult(problem.Status, ((ProblemBody)problem.Body!) with { Reason = reason }, Problem.ContentType);
        return code == ProblemCatalogue.RangeNotSatisfiable && arguments?.GetValueOrDefault("length") is { } length
            ? new WithHeaderResult(result, "Content-Range", "bytes */" + length)
            : result;
    }

    /// <summary>The refusal's own detail in the caller's language (null keeps the problem code's general detail).</summary>
    private static string? RefusalDetail(string? reason, IReadOnlyDictionary<string, string>? arguments, bool english)
    {
        if (reason is null
            || !(Serverless.Cases.Disposal.DisposalRefusals.Messages.TryGetValue(reason, out var message)
                || Serverless.Files.FileRejections.Messages.TryGetValue(reason, out message)
                || Serverless.Files.Direct.DirectUploadRefusals.Messages.TryGetValue(reason, out message)
                || Serverless.Cases.CouncilMembershipRefusals.Messages.TryGetValue(reason, out message)
                || Serverless.Transfers.Outgoing.OutgoingTransferRefusals.Messages.TryGetValue(reason, out message)))
        {
            return null;
        }

        var text = english ? message.En : message.Ja;
        foreach (var (name, value) in arguments ?? new Dictionary<string, string>())
        {
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>The detail when a case the caller is barred from may match (see <see cref="CaseOutcome{T}.PossibleDuplicate"/>).</summary>
    public const string HiddenDuplicateDetailJa = "あなたが閲覧できないケースが、この子どものものである可能性があります。登録せず、他の調整担当者に確認と（必要なら）登録を依頼してください。";

    public const string HiddenDuplicateDetailEn = "A case you cannot see may concern this child. Do not register it: ask another coordinator to check and register it if needed.";

    private static ApiResult PossibleDuplicate(RequestContext context, IReadOnlyList<string> candidates, bool hiddenCandidate)
    {
        var detail = !hiddenCandidate ? null : context.Language == ProblemLanguage.English ? HiddenDuplicateDetailEn : HiddenDuplicateDetailJa;
        var problem = context.Problem(ProblemCatalogue.PossibleDuplicate, detail);
        return new ApiResult(problem.Status, ((ProblemBody)problem.Body!) with { CandidateCaseIds = candidates }, Problem.ContentType);
    }
}

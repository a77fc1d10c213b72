using System.Text.Json.Nodes;

namespace Serverless.Cases;

/// <summary><c>POST /api/cases</c>. <paramref name="ConfirmedNotDuplicateOf"/>: cases the coordinator has
/// checked and confirmed are a different child (answering an earlier 409).</summary>
/// <param name="ParticipationException">A coordinator's reason (1–500 characters) for putting on the case an agency that is
/// not a council member or has not acknowledged art. 25-5; kept with the version. Without it such an agency is refused (409).</param>
public sealed record CreateCaseRequest(CaseRecord Record, IReadOnlyList<string>? ConfirmedNotDuplicateOf = null, string? ParticipationException = null);

/// <summary><c>PATCH /api/cases/{caseId}</c>: why, and a JSON Merge Patch (RFC 7386) of the record.</summary>
/// <param name="ParticipationException">As on <see cref="CreateCaseRequest"/>: for an agency the change adds.</param>
public sealed record UpdateCaseRequest(string Reason, JsonObject Changes, string? ParticipationException = null);

/// <summary>The version the caller's <c>If-Match</c> names; <see cref="Missing"/> when there was none.</summary>
public sealed record ExpectedVersion(long? Version)
{
    public static ExpectedVersion Missing { get; } = new((long?)null);

    /// <summary>An If-Match that names no version of ours (a weak or foreign ETag): never matches.</summary>
    public static ExpectedVersion Unmatchable { get; } = new(-1);
}

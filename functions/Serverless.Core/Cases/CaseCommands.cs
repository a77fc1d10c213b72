using System.Text.Json.Nodes;

namespace Serverless.Cases;

/// <summary><c>POST /api/cases</c>. <paramref name="ConfirmedNotDuplicateOf"/>: cases the coordinator has
/// checked and confirmed are a different child (answering an earlier 409).</summary>
public sealed record CreateCaseRequest(CaseRecord Record, IReadOnlyList<string>? ConfirmedNotDuplicateOf = null);

/// <summary><c>PATCH /api/cases/{caseId}</c>: why, and a JSON Merge Patch (RFC 7386) of the record.</summary>
public sealed record UpdateCaseRequest(string Reason, JsonObject Changes);

/// <summary>The version the caller's <c>If-Match</c> names; <see cref="Missing"/> when there was none.</summary>
public sealed record ExpectedVersion(long? Version)
{
    public static ExpectedVersion Missing { get; } = new((long?)null);

    /// <summary>An If-Match that names no version of ours (a weak or foreign ETag): never matches.</summary>
    public static ExpectedVersion Unmatchable { get; } = new(-1);
}

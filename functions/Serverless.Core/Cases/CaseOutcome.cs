using Serverless.Problems;
using Serverless.Validation;

namespace Serverless.Cases;

/// <summary>What a case operation came to. The HTTP layer maps each kind to one status and problem code.</summary>
public abstract record CaseOutcome<T>
{
    public sealed record Done(T Value) : CaseOutcome<T>;

    /// <summary>No such case, or one the caller may not see: the two look the same to the caller.
    /// <paramref name="Hidden"/> (it exists, the caller may not see it) is for the audit only.</summary>
    public sealed record NotFound(bool Hidden = false) : CaseOutcome<T>;

    /// <summary>The caller's role may not do this at all (e.g. a member registering a case).</summary>
    public sealed record Forbidden : CaseOutcome<T>;

    public sealed record Invalid(IReadOnlyList<ValidationError> Errors) : CaseOutcome<T>;

    /// <summary>The request body could not be read (the HTTP layer already knows why); said only
    /// after the case was found visible, so a hidden case stays 404 whatever was sent.</summary>
    public sealed record Unreadable : CaseOutcome<T>;

    /// <summary>An update without If-Match.</summary>
    public sealed record PreconditionRequired : CaseOutcome<T>;

    /// <summary>An update based on a version that is no longer current.</summary>
    public sealed record PreconditionFailed(long CurrentVersion) : CaseOutcome<T>;

    /// <summary>The case is not in a state that allows this (409): <paramref name="Problem"/> with, when given, a detail
    /// from <see cref="Disposal.DisposalRefusals"/> (its <c>{name}</c> placeholders filled from <paramref name="Arguments"/>).</summary>
    public sealed record Refused(ProblemCode Problem, string? Reason = null, IReadOnlyDictionary<string, string>? Arguments = null) : CaseOutcome<T>;

    /// <summary>The child may already have a case: the coordinator must confirm it is a different child.
    /// <paramref name="HiddenCandidate"/>: a case the caller is barred from may match too; it is not named, and
    /// cannot be confirmed by this caller (another coordinator must decide).</summary>
    public sealed record PossibleDuplicate(IReadOnlyList<string> CandidateCaseIds, bool HiddenCandidate = false) : CaseOutcome<T>;

    /// <summary>An <see cref="Idempotency.IdempotencyKey">Idempotency-Key</see> that cannot be honoured: reused with
    /// another body (422), or its first request still running (409).</summary>
    public sealed record KeyConflict(ProblemCode Problem) : CaseOutcome<T>;

    /// <summary>The same refusal for an operation of another result type (everything but <see cref="Done"/>).</summary>
    public CaseOutcome<TOther> As<TOther>() => this switch
    {
        NotFound notFound => new CaseOutcome<TOther>.NotFound(notFound.Hidden),
        Forbidden => new CaseOutcome<TOther>.Forbidden(),
        Invalid invalid => new CaseOutcome<TOther>.Invalid(invalid.Errors),
        Unreadable => new CaseOutcome<TOther>.Unreadable(),
        PreconditionRequired => new CaseOutcome<TOther>.PreconditionRequired(),
        PreconditionFailed failed => new CaseOutcome<TOther>.PreconditionFailed(failed.CurrentVersion),
        Refused refused => new CaseOutcome<TOther>.Refused(refused.Problem, refused.Reason, refused.Arguments),
        PossibleDuplicate duplicate => new CaseOutcome<TOther>.PossibleDuplicate(duplicate.CandidateCaseIds, duplicate.HiddenCandidate),
        KeyConflict conflict => new CaseOutcome<TOther>.KeyConflict(conflict.Problem),
        _ => throw new InvalidOperationException($"{GetType().Name} carries a value; only refusals convert."),
    };
}

using Serverless.Validation;

namespace Serverless.Administration;

/// <summary>What an administration operation came to; the HTTP layer maps each kind to one status.</summary>
public abstract record AdminOutcome<T>
{
    public sealed record Done(T Value, bool Created = false) : AdminOutcome<T>;

    /// <summary>Proposed, not done: a different coordinator must confirm it (202).</summary>
    public sealed record Proposed(T Value) : AdminOutcome<T>;

    /// <summary>Nothing to confirm: never proposed, already confirmed, or lapsed (409).</summary>
    public sealed record NoPendingProposal : AdminOutcome<T>;

    public sealed record NotFound : AdminOutcome<T>;

    /// <summary>The caller's role may not do this (an admin granting the coordinator role, anyone granting themselves).</summary>
    public sealed record Forbidden : AdminOutcome<T>;

    /// <summary>An admin asked for what only a coordinator may do (designating break-glass; an agency of a kind whose
    /// staff may be designated): a second account of the admin's own would otherwise reach case contents.</summary>
    public sealed record CoordinatorAct : AdminOutcome<T>;

    /// <summary>The role may do this, but not from where the request came (<see cref="AdminNetworkPolicy"/>).</summary>
    public sealed record OutsideNetwork : AdminOutcome<T>;

    public sealed record Invalid(IReadOnlyList<ValidationError> Errors) : AdminOutcome<T>;

    /// <summary>The request body could not be read (the HTTP layer already knows why); said only after
    /// the role check, so a caller who may not do this gets 403 whatever it sent.</summary>
    public sealed record Unreadable : AdminOutcome<T>;

    /// <summary>Changed by someone else meanwhile: read again and retry.</summary>
    public sealed record Conflict : AdminOutcome<T>;
}

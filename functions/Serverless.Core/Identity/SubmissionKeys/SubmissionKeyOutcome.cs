using Serverless.Validation;

namespace Serverless.Identity.SubmissionKeys;

/// <summary>What a key administration operation came to. The HTTP layer maps each kind to one status and problem code.</summary>
public abstract record SubmissionKeyOutcome<T>
{
    public sealed record Done(T Value) : SubmissionKeyOutcome<T>;

    /// <summary>No such agency, no such key, or a key of another agency: the three look the same.</summary>
    public sealed record NotFound : SubmissionKeyOutcome<T>;

    public sealed record Invalid(IReadOnlyList<ValidationError> Errors) : SubmissionKeyOutcome<T>;

    /// <summary>The key was already rotated (it names its successor), or changed while being rotated.
    /// Nothing was issued; read the key again.</summary>
    public sealed record Conflict(string? ReplacedBy) : SubmissionKeyOutcome<T>;

    /// <summary>The key is revoked, and a revocation is final: rotating it would hand its holder a working successor.
    /// Nothing was issued; issue a new key instead.</summary>
    public sealed record Revoked : SubmissionKeyOutcome<T>;
}

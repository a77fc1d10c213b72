namespace Serverless.Identity;

/// <summary>
/// The acts one coordinator alone could use to take the council over (ending another coordinator's coordinator
/// membership, releasing a legal hold) are proposed by one and confirmed by a different one. An unconfirmed
/// proposal lapses, so an old one nobody remembers cannot be confirmed months later.
/// </summary>
public static class TwoCoordinators
{
    public static readonly TimeSpan ProposalLifetime = TimeSpan.FromDays(7);

    /// <summary>Whether a proposal made at <paramref name="proposedAt"/> may still be confirmed at <paramref name="now"/>.</summary>
    public static bool StillOpen(DateTimeOffset proposedAt, DateTimeOffset now) => now < proposedAt + ProposalLifetime;
}

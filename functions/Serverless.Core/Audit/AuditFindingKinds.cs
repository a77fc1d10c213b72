namespace Serverless.Audit;

/// <summary>What the verifier can find. Stable codes: scripts and runbooks switch on them.</summary>
public static class AuditFindingKinds
{
    /// <summary>A sealed entry's stored properties no longer give its sealed hash.</summary>
    public const string Edited = "edited";

    /// <summary>A sealed entry is gone.</summary>
    public const string Deleted = "deleted";

    /// <summary>An entry inside a sealed range that no seal lists: written late, or planted.</summary>
    public const string Inserted = "inserted";

    /// <summary>A sealed entry's content is found under other keys: entries swapped, or one moved to another id (time).</summary>
    public const string Reordered = "reordered";

    /// <summary>A seal's row, its WORM copy and the chain disagree, or seal numbers have a gap.</summary>
    public const string ChainBroken = "chain-broken";

    /// <summary>An intent older than the settle delay that no outcome answers.</summary>
    public const string IntentWithoutOutcome = "intent-without-outcome";

    /// <summary>An outcome or event about a case has no <c>AuditByCase</c> row for that case.</summary>
    public const string IndexMissing = "index-missing";

    /// <summary>An <c>AuditByCase</c> row says something other than the entry it copies.</summary>
    public const string IndexMismatch = "index-mismatch";
}

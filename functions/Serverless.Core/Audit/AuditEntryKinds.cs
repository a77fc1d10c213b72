namespace Serverless.Audit;

/// <summary>The <c>Kind</c> of an audit entry: a contract with the verifier and readers, never renamed.</summary>
public static class AuditEntryKinds
{
    /// <summary>Written before any data is touched (<see cref="IAuditTrail.BeginAsync"/>).</summary>
    public const string Intent = "intent";

    /// <summary>How an intent ended; carries the intent's entry id (<see cref="IAuditTrail.CompleteAsync"/>).</summary>
    public const string Outcome = "outcome";

    /// <summary>A single entry for an action refused before any data was touched (<see cref="IAuditTrail.RecordAsync"/>).</summary>
    public const string Event = "event";
}

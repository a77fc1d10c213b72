namespace Serverless.Audit;

/// <summary>How an audited action ended. <see cref="Refused"/> and <see cref="Missing"/> answer the caller
/// the same (404); the audit keeps them apart.</summary>
public enum AuditOutcome
{
    Succeeded,

    /// <summary>The case or entry does not exist.</summary>
    Missing,

    /// <summary>It exists, but the caller may not see or do this (need to know, role, bar).</summary>
    Refused,

    /// <summary>No or bad credentials (401), or a membership that is unknown or expired (403).</summary>
    Unauthenticated,

    /// <summary>The request was malformed or failed validation; nothing changed.</summary>
    Invalid,

    /// <summary>A precondition or concurrency conflict (409, 412, 428); nothing changed.</summary>
    Conflict,

    /// <summary>The app failed (5xx); what happened to the data is in the case's own history.</summary>
    Failed,

    /// <summary>Unknown in this instance: the request was still running when the backup it was restored from
    /// was taken, so its outcome is not in the backup. Written by the restore (<see cref="AuditRestoreCompletion"/>).</summary>
    NotInBackup,
}

using Azure;

namespace Serverless.Cases.Storage;

/// <summary>A case as read from storage: its record, version and the storage ETag for the next update.</summary>
public sealed record StoredCase(string CaseId, long Version, CaseRecord Record, DateTimeOffset CreatedAt, DateTimeOffset ChangedAt, ETag StorageETag)
{
    /// <summary>The timeline entry this save wrote (a case change), for its event; null when read, or when nothing a
    /// timeline shows changed.</summary>
    public Entries.StoredEntry? Change { get; init; }
}

/// <summary>One saved version: who changed what, when and why, and the record as it was then.</summary>
public sealed record CaseVersion(long Version, DateTimeOffset ChangedAt, string ChangedBy, string ChangedByAgency, string? Reason, IReadOnlyList<string> ChangedFields, CaseRecord Record);

/// <summary>Who is making a change, and why.</summary>
public sealed record ChangeAuthor(string CallerId, string AgencyId);

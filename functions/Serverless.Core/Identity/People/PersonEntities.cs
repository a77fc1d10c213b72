using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Identity.People;

/// <summary>A person's profile row: partition the person id, row <c>profile</c>.</summary>
public sealed class PersonEntity : ITableEntity, ISchemaVersioned
{
    public const string Row = "profile";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = Row;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string IssuerName { get; set; } = "";

    public string Subject { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public DateTimeOffset RegisteredAt { get; set; }

    public string RegisteredBy { get; set; } = "";

    // The first sign-in's validated iss and tid (PinnedSignIn). Not properties of this class on purpose: the
    // profile is saved with Merge from it, so registering again or renaming never touches them; only
    // PeopleDirectory.PinSignInAsync writes them, with If-Match.
    public const string SignInIssuerColumn = "SignInIssuer";
    public const string SignInTenantIdColumn = "SignInTenantId";
    public const string SignInPinnedAtColumn = "SignInPinnedAt";
}

/// <summary>One membership: partition the person id (so sign-in reads profile and memberships in one
/// query), row <c>m-{membershipId}</c>.</summary>
public sealed class MembershipEntity : ITableEntity, ISchemaVersioned
{
    public const string RowPrefix = "m-";

    public string PartitionKey { get; set; } = "";

    public string RowKey { get; set; } = "";

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int SchemaVersion { get; set; } = 1;

    public string AgencyId { get; set; } = "";

    public string Role { get; set; } = "";

    /// <summary>yyyy-MM-dd (Japan date).</summary>
    public string ValidFrom { get; set; } = "";

    public string? ValidTo { get; set; }

    public bool MayBreakGlass { get; set; }

    public string GrantedBy { get; set; } = "";

    public DateTimeOffset GrantedAt { get; set; }

    public string? EndedBy { get; set; }

    /// <summary>Who proposed ending this (another coordinator's) coordinator membership, while it waits for confirmation.</summary>
    public string? PendingEndProposedBy { get; set; }

    public DateTimeOffset? PendingEndProposedAt { get; set; }

    /// <summary>yyyy-MM-dd (Japan date): the last day proposed.</summary>
    public string? PendingEndLastDay { get; set; }
}

namespace Serverless.Identity;

/// <summary>The roles a membership grants. Admins and auditors never see case contents.</summary>
public enum CallerRole
{
    /// <summary>調整機関: manages every case.</summary>
    Coordinator,

    /// <summary>Agency staff: sees the cases their agency takes part in.</summary>
    Member,

    /// <summary>Reads the audit trail; no case contents.</summary>
    Auditor,

    /// <summary>Agencies, memberships and keys; no case contents.</summary>
    Admin,
}

/// <summary>Who is calling, as the authentication service established it. The id is opaque.</summary>
public sealed record Caller(string Id, string AgencyId, CallerRole Role)
{
    public bool IsCoordinator => Role == CallerRole.Coordinator;
}

namespace Serverless.Audit;

public enum AuditActorKind
{
    /// <summary>No credentials, or credentials that did not check out.</summary>
    Anonymous,

    /// <summary>A person signed in with OpenID Connect; the id is the app's opaque person id.</summary>
    Person,

    /// <summary>An agency form's submission key; the id is the key's visible id prefix.</summary>
    SubmissionKey,

    /// <summary>The app itself (timers, queue steps) or an ops command.</summary>
    System,

    /// <summary>A partner council (移管の相手先), authenticated by its signature on a transfer message; the id is its
    /// municipality code.</summary>
    Partner,
}

/// <summary>Who acted, as far as the request established it. Ids only: never a name.</summary>
public sealed record AuditActor(AuditActorKind Kind, string? Id, string? AgencyId, string? Role)
{
    public static AuditActor Anonymous { get; } = new(AuditActorKind.Anonymous, null, null, null);
}

namespace Serverless.Identity.SubmissionKeys;

/// <summary>
/// Why a presented key was refused. Stable codes for the audit trail and logs; the caller of the API gets
/// one undifferentiated 401 (telling a scanner "wrong secret" versus "unknown" would help it).
/// </summary>
public static class SubmissionKeyFailureReasons
{
    /// <summary>Not the shape of a key at all. Storage was not read.</summary>
    public const string Malformed = "malformed";

    public const string Unknown = "unknown";

    public const string WrongSecret = "wrong-secret";

    public const string Revoked = "revoked";

    public const string Expired = "expired";

    public const string OriginNotAllowed = "origin-not-allowed";

    public const string AddressNotAllowed = "address-not-allowed";
}

namespace Serverless.Identity.SubmissionKeys;

/// <summary>
/// A key just issued: the plaintext <see cref="Key"/> exists only here, once; it is never stored and
/// cannot be shown again. <see cref="ToString"/> leaves it out so a stray log line cannot leak it.
/// </summary>
public sealed record IssuedSubmissionKey(string Key, SubmissionKeyInfo Info)
{
    public override string ToString() => $"IssuedSubmissionKey {{ KeyId = {Info.KeyId}, AgencyId = {Info.AgencyId} }}";
}

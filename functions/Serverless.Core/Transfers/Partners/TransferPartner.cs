namespace Serverless.Transfers.Partners;

/// <summary>
/// A council this one exchanges cases with (移管の相手先), as admins and coordinators see it. Nothing is sent to it
/// or accepted from it until <see cref="Confirmed"/>: a coordinator read both fingerprints back over the phone.
/// </summary>
/// <param name="MunicipalityCode">全国地方公共団体コード (6 digits, with its check digit): the partner's id.</param>
/// <param name="EndpointUrl">Its intake endpoint, <c>…/api/transfers/incoming</c>.</param>
/// <param name="EncryptionKeyPem">RSA public key (≥ 3072 bits) packages for it are encrypted to.</param>
/// <param name="VerificationKeyPem">P-256 public key its signatures are checked with.</param>
/// <param name="Version">1 when registered, one more for every change; a change of keys or endpoint un-confirms.</param>
public sealed record TransferPartner(
    string MunicipalityCode,
    string DisplayName,
    string EndpointUrl,
    string EncryptionKeyPem,
    string EncryptionKeyFingerprint,
    string VerificationKeyPem,
    string VerificationKeyFingerprint,
    long Version,
    DateTimeOffset UpdatedAt,
    string UpdatedBy,
    bool Confirmed,
    DateTimeOffset? ConfirmedAt,
    string? ConfirmedBy);

namespace Serverless.Transfers.Identity;

/// <summary>
/// What another council needs to register this one: its municipality code and the public halves of its two keys,
/// each with its fingerprint to read out on the phone. Null parts are not configured yet.
/// </summary>
public sealed record TransferIdentity(
    string? MunicipalityCode,
    string? EncryptionKeyPem,
    string? EncryptionKeyFingerprint,
    string? VerificationKeyPem,
    string? VerificationKeyFingerprint);

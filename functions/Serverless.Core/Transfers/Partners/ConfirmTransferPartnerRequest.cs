namespace Serverless.Transfers.Partners;

/// <summary>
/// A coordinator's confirmation: the two fingerprints as the partner council read them out on the phone, and the
/// version of the registration they checked (a change meanwhile must be checked again).
/// </summary>
public sealed record ConfirmTransferPartnerRequest(string? EncryptionKeyFingerprint, string? VerificationKeyFingerprint, long? Version);

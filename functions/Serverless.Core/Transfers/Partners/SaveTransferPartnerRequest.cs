namespace Serverless.Transfers.Partners;

/// <summary>What an admin sends to register a partner council or change it (the municipality code is in the route).</summary>
public sealed record SaveTransferPartnerRequest(string? DisplayName, string? EndpointUrl, string? EncryptionKeyPem, string? VerificationKeyPem);

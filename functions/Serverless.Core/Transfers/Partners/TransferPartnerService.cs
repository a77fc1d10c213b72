using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Administration;
using Serverless.Identity;
using Serverless.Storage;
using Serverless.Transfers.Identity;
using Serverless.Transfers.Keys;
using Serverless.Validation;

namespace Serverless.Transfers.Partners;

/// <summary>
/// Partner councils (移管の相手先). An admin registers one or changes it; a coordinator (never an admin: the same
/// separation as break-glass) confirms it after reading both key fingerprints back on the phone with the other
/// council. A change of either key or of the endpoint un-confirms it. Every operation passes the admin API's gate
/// (role first, then the municipality's network).
/// </summary>
public sealed class TransferPartnerService(
    TransferPartnerStore store,
    AdministrationService administration,
    OwnTransferIdentity own,
    IOptions<StorageOptions> storage,
    TimeProvider clock,
    ILogger<TransferPartnerService> logger)
{
    public const string FingerprintMismatch = FieldRules.FingerprintMismatch;

    public async Task<AdminOutcome<IReadOnlyList<TransferPartner>>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        if (administration.AdmitAdministrator(caller) is { } refusal)
        {
            return Refused<IReadOnlyList<TransferPartner>>(refusal);
        }

        var all = await store.AllAsync(cancellationToken);
        return new AdminOutcome<IReadOnlyList<TransferPartner>>.Done([.. all.OrderBy(partner => partner.MunicipalityCode, StringComparer.Ordinal)]);
    }

    /// <summary>This council's code and public keys, for the other side to register (admins and coordinators).</summary>
    /// <remarks>Keys kept in Key Vault are shown by their public halves read from the vault.</remarks>
    public async Task<AdminOutcome<TransferIdentity>> IdentityAsync(Caller caller, CancellationToken cancellationToken)
        => administration.AdmitAdministrator(caller) is { } refusal ? Refused<TransferIdentity>(refusal) : new AdminOutcome<TransferIdentity>.Done(await own.ReadAsync(cancellationToken));

    /// <summary>Registers a partner (201) or changes it. A coordinator may not: 403.</summary>
    /// <param name="request">Null when the body could not be read.</param>
    public async Task<AdminOutcome<TransferPartner>> SaveAsync(Caller caller, string municipalityCode, SaveTransferPartnerRequest? request, CancellationToken cancellationToken)
    {
        if (administration.AdmitAdmin(caller) is { } refusal)
        {
            return Refused<TransferPartner>(refusal);
        }

        if (request is null)
        {
            return new AdminOutcome<TransferPartner>.Unreadable();
        }

        var errors = new ValidationErrors();
        if (!MunicipalityCode.IsValid(municipalityCode))
        {
            errors.Add("municipalityCode", FieldRules.InvalidId);
        }
        else if (municipalityCode == own.MunicipalityCode)
        {
            errors.Add("municipalityCode", FieldRules.InvalidValue);
        }

        errors.Required("$.displayName", string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName);
        errors.Text("$.displayName", request.DisplayName?.Trim(), TransferPartnerLimits.MaxDisplayNameLength);
        errors.Required("$.endpointUrl", request.EndpointUrl);
        if (request.EndpointUrl is not null && !PartnerEndpoint.IsValid(request.EndpointUrl, StorageOptions.IsEmulator(storage.Value.ConnectionString ?? "")))
        {
            errors.Add("$.endpointUrl", FieldRules.InvalidValue);
        }

        errors.Required("$.encryptionKeyPem", request.EncryptionKeyPem);
        errors.Required("$.verificationKeyPem", request.VerificationKeyPem);
        string? encryptionFingerprint = null, verificationFingerprint = null;
        if (request.EncryptionKeyPem is { } encryptionPem)
        {
            using var key = encryptionPem.Length <= TransferPartnerLimits.MaxKeyPemLength ? PartnerKeys.ImportEncryptionKey(encryptionPem, out _) : null;
            encryptionFingerprint = key is null ? null : KeyFingerprint.Of(key);
            if (key is null)
            {
                errors.Add("$.encryptionKeyPem", FieldRules.InvalidValue);
            }
        }

        if (request.VerificationKeyPem is { } verificationPem)
        {
            using var key = verificationPem.Length <= TransferPartnerLimits.MaxKeyPemLength ? PartnerKeys.ImportVerificationKey(verificationPem, out _) : null;
            verificationFingerprint = key is null ? null : KeyFingerprint.Of(key);
            if (key is null)
            {
                errors.Add("$.verificationKeyPem", FieldRules.InvalidValue);
            }
        }

        if (errors.Any)
        {
            return new AdminOutcome<TransferPartner>.Invalid(errors.All);
        }

        var existing = await store.GetAsync(municipalityCode, cancellationToken);
        if (existing is null && (await store.AllAsync(cancellationToken)).Count >= TransferPartnerLimits.MaxPartners)
        {
            return new AdminOutcome<TransferPartner>.Invalid([new ValidationError("municipalityCode", FieldRules.TooMany, new Dictionary<string, string> { ["max"] = TransferPartnerLimits.MaxPartners.ToString(CultureInfo.InvariantCulture) })]);
        }

        var displayName = request.DisplayName!.Trim();
        var endpointUrl = request.EndpointUrl!;
        var trustChanged = existing is null
            || existing.EndpointUrl != endpointUrl
            || existing.EncryptionKeyFingerprint != encryptionFingerprint
            || existing.VerificationKeyFingerprint != verificationFingerprint;
        if (existing is not null && !trustChanged && existing.DisplayName == displayName)
        {
            return new AdminOutcome<TransferPartner>.Done(existing.ToPartner()); // nothing changed: no new version
        }

        var wasConfirmed = existing?.ToPartner().Confirmed == true;
        var row = existing ?? new TransferPartnerEntity { RowKey = municipalityCode };
        row.DisplayName = displayName;
        row.EndpointUrl = endpointUrl;
        row.EncryptionKeyPem = request.EncryptionKeyPem!.Trim();
        row.EncryptionKeyFingerprint = encryptionFingerprint!;
        row.VerificationKeyPem = request.VerificationKeyPem!.Trim();
        row.VerificationKeyFingerprint = verificationFingerprint!;
        row.Version++;
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedBy = caller.Id;
        if (wasConfirmed && !trustChanged)
        {
            row.ConfirmedVersion = row.Version; // a new display name keeps the keys' confirmation
        }

        if (!await store.SaveAsync(row, cancellationToken))
        {
            return new AdminOutcome<TransferPartner>.Conflict();
        }

        logger.LogInformation(
            "Transfer partner {MunicipalityCode} saved as version {Version} by {CallerId}; confirmed: {Confirmed}",
            municipalityCode, row.Version, caller.Id, row.ConfirmedVersion == row.Version);
        return new AdminOutcome<TransferPartner>.Done(row.ToPartner(), Created: existing is null);
    }

    /// <summary>
    /// A coordinator confirms the partner at its current version: both fingerprints as read out must match (with or
    /// without colons, any case). An admin gets 403 <c>admin.coordinator-act</c>. Confirming again changes nothing.
    /// </summary>
    public async Task<AdminOutcome<TransferPartner>> ConfirmAsync(Caller caller, string municipalityCode, ConfirmTransferPartnerRequest? request, CancellationToken cancellationToken)
    {
        if (caller.Role == CallerRole.Admin)
        {
            return new AdminOutcome<TransferPartner>.CoordinatorAct();
        }

        if (administration.AdmitCoordinator(caller) is { } refusal)
        {
            return Refused<TransferPartner>(refusal);
        }

        if (request is null)
        {
            return new AdminOutcome<TransferPartner>.Unreadable();
        }

        var errors = new ValidationErrors();
        errors.Required("$.encryptionKeyFingerprint", request.EncryptionKeyFingerprint);
        errors.Required("$.verificationKeyFingerprint", request.VerificationKeyFingerprint);
        errors.Required("$.version", request.Version);
        if (errors.Any)
        {
            return new AdminOutcome<TransferPartner>.Invalid(errors.All);
        }

        var row = MunicipalityCode.IsValid(municipalityCode) ? await store.GetAsync(municipalityCode, cancellationToken) : null;
        if (row is null)
        {
            return new AdminOutcome<TransferPartner>.NotFound();
        }

        if (request.Version != row.Version)
        {
            return new AdminOutcome<TransferPartner>.Conflict(); // the keys were changed since the coordinator read them
        }

        if (!KeyFingerprint.Matches(request.EncryptionKeyFingerprint, row.EncryptionKeyFingerprint))
        {
            errors.Add("$.encryptionKeyFingerprint", FingerprintMismatch);
        }

        if (!KeyFingerprint.Matches(request.VerificationKeyFingerprint, row.VerificationKeyFingerprint))
        {
            errors.Add("$.verificationKeyFingerprint", FingerprintMismatch);
        }

        if (errors.Any)
        {
            logger.LogWarning("Transfer partner {MunicipalityCode}: fingerprints read out by {CallerId} do not match version {Version}", municipalityCode, caller.Id, row.Version);
            return new AdminOutcome<TransferPartner>.Invalid(errors.All);
        }

        if (row.ConfirmedVersion == row.Version)
        {
            return new AdminOutcome<TransferPartner>.Done(row.ToPartner());
        }

        row.ConfirmedVersion = row.Version;
        row.ConfirmedAt = clock.GetUtcNow();
        row.ConfirmedBy = caller.Id;
        if (!await store.SaveAsync(row, cancellationToken))
        {
            return new AdminOutcome<TransferPartner>.Conflict();
        }

        logger.LogInformation("Transfer partner {MunicipalityCode} confirmed at version {Version} by {CallerId}", municipalityCode, row.Version, caller.Id);
        return new AdminOutcome<TransferPartner>.Done(row.ToPartner());
    }

    private static AdminOutcome<T> Refused<T>(AdminRefusal refusal)
        => refusal == AdminRefusal.OutsideNetwork ? new AdminOutcome<T>.OutsideNetwork() : new AdminOutcome<T>.Forbidden();
}

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Agencies;
using Serverless.Validation;

namespace Serverless.Identity.SubmissionKeys;

/// <summary>
/// Issues, lists, revokes, rotates and checks submission keys: the credentials agency forms use,
/// server-side only, to submit on behalf of their agency and nothing else.
/// </summary>
/// <remarks>
/// <para>
/// <b>Revocation takes effect within 0 seconds.</b> Every <see cref="AuthenticateAsync"/> reads the key's
/// row (one point read, no cache anywhere), and table storage is strongly consistent, so the first request
/// after <see cref="RevokeAsync"/> returns is refused on every instance.
/// </para>
/// <para>
/// Callers (the HTTP layer) are expected to: take the key from a header only, never from the URL or the
/// body; resolve the client address with <c>ClientAddressResolver</c>; ask
/// <see cref="FailedAttemptThrottle.RetryAfterSeconds"/>; call <see cref="AuthenticateAsync"/> (always: a valid key is
/// accepted even from a throttled address); and on <see cref="SubmissionKeyAuthentication.Failed"/> call
/// <see cref="FailedAttemptThrottle.RecordFailure"/> and answer 429 if the address was throttled, else one plain 401,
/// whatever the reason (the reason goes to the audit trail, not to the caller).
/// </para>
/// <para>Whether the caller may administer the agency's keys is the caller's check; this service checks only
/// that the agency exists and that the key belongs to it.</para>
/// </remarks>
public sealed class SubmissionKeyService(
    SubmissionKeyStore store,
    AgencyDirectory agencies,
    TimeProvider clock,
    ILogger<SubmissionKeyService> logger)
{
    private const int IdAttempts = 5;
    private const int UpdateAttempts = 5;

    /// <summary>
    /// Issues a key for <paramref name="agencyId"/>. The result holds the plaintext key, which is never
    /// stored and cannot be shown again.
    /// </summary>
    /// <param name="expiresAt">Optional; in the future and at most <see cref="SubmissionKeyLimits.MaxLifetime"/> ahead.</param>
    /// <param name="allowedOrigins">Exact <c>https://host[:port]</c> origins; empty for any.</param>
    /// <param name="allowedAddresses">Addresses or CIDR ranges; empty for any.</param>
    /// <param name="issuedBy">Opaque person id of the admin.</param>
    /// <returns>Done; Invalid with field errors (nothing stored); NotFound when the agency is not registered.</returns>
    public async Task<SubmissionKeyOutcome<IssuedSubmissionKey>> IssueAsync(
        string agencyId,
        string label,
        DateTimeOffset? expiresAt,
        IReadOnlyList<string> allowedOrigins,
        IReadOnlyList<string> allowedAddresses,
        string issuedBy,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(issuedBy);
        var now = clock.GetUtcNow();
        var checkedInput = SubmissionKeyValidator.Validate(agencyId, label, expiresAt, allowedOrigins, allowedAddresses, now);
        if (checkedInput.Errors.Count > 0)
        {
            return new SubmissionKeyOutcome<IssuedSubmissionKey>.Invalid(checkedInput.Errors);
        }

        if (await agencies.FindAsync(agencyId, cancellationToken) is null)
        {
            return new SubmissionKeyOutcome<IssuedSubmissionKey>.NotFound();
        }

        var issued = await InsertNewKeyAsync(agencyId, label, expiresAt, checkedInput.Origins, checkedInput.Addresses, issuedBy, now, cancellationToken);
        logger.LogInformation("Submission key {KeyId} issued for agency {AgencyId} by {PersonId}", issued.Info.KeyId, agencyId, issuedBy);
        return new SubmissionKeyOutcome<IssuedSubmissionKey>.Done(issued);
    }

    /// <summary>Every key of the agency, revoked and expired ones included, newest first; never a hash.</summary>
    public async Task<SubmissionKeyOutcome<IReadOnlyList<SubmissionKeyInfo>>> ListAsync(string agencyId, CancellationToken cancellationToken)
    {
        if (await agencies.FindAsync(agencyId, cancellationToken) is null)
        {
            return new SubmissionKeyOutcome<IReadOnlyList<SubmissionKeyInfo>>.NotFound();
        }

        var rows = await store.ListAsync(agencyId, cancellationToken);
        IReadOnlyList<SubmissionKeyInfo> infos = rows
            .Select(ToInfo)
            .OrderByDescending(info => info.CreatedAt)
            .ThenBy(info => info.KeyId, StringComparer.Ordinal)
            .ToList();
        return new SubmissionKeyOutcome<IReadOnlyList<SubmissionKeyInfo>>.Done(infos);
    }

    /// <summary>
    /// Revokes a key now. Idempotent: revoking a revoked key changes nothing and returns it as it is.
    /// A key of another agency is NotFound, exactly like a missing one.
    /// </summary>
    public async Task<SubmissionKeyOutcome<SubmissionKeyInfo>> RevokeAsync(string agencyId, string keyId, string revokedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(revokedBy);
        for (var attempt = 0; attempt < UpdateAttempts; attempt++)
        {
            var row = await FindOwnAsync(agencyId, keyId, cancellationToken);
            if (row is null)
            {
                return new SubmissionKeyOutcome<SubmissionKeyInfo>.NotFound();
            }

            if (row.RevokedAt is not null)
            {
                return new SubmissionKeyOutcome<SubmissionKeyInfo>.Done(ToInfo(row));
            }

            row.RevokedAt = clock.GetUtcNow();
            row.RevokedBy = revokedBy;
            if (await store.TryReplaceAsync(row, cancellationToken))
            {
                logger.LogInformation("Submission key {KeyId} of agency {AgencyId} revoked by {PersonId}", keyId, agencyId, revokedBy);
                return new SubmissionKeyOutcome<SubmissionKeyInfo>.Done(ToInfo(row));
            }
        }

        throw new InvalidOperationException($"Submission key {keyId} kept changing while being revoked.");
    }

    /// <summary>
    /// Replaces a key with a new one carrying the same label and bindings. The old key keeps working for
    /// <paramref name="overlap"/> (0: revoked now; at most <see cref="SubmissionKeyLimits.MaxRotationOverlap"/>),
    /// never longer than it would have anyway, and records <c>ReplacedBy</c>. The new key gets the old
    /// key's lifetime again (its original expiry minus issue time), counted from now, or none if it had none.
    /// A revoked or expired key may be rotated too (the usual answer to a leak: revoke, then rotate).
    /// </summary>
    /// <returns>Done with the new plaintext key; NotFound; Invalid (overlap out of range); Conflict when the key
    /// was already rotated or changed meanwhile (the new key is then revoked before anyone saw it).</returns>
    public async Task<SubmissionKeyOutcome<IssuedSubmissionKey>> RotateAsync(string agencyId, string keyId, TimeSpan overlap, string rotatedBy, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rotatedBy);
        var overlapErrors = SubmissionKeyValidator.ValidateOverlap(overlap);
        if (overlapErrors.Count > 0)
        {
            return new SubmissionKeyOutcome<IssuedSubmissionKey>.Invalid(overlapErrors);
        }

        var old = await FindOwnAsync(agencyId, keyId, cancellationToken);
        if (old is null)
        {
            return new SubmissionKeyOutcome<IssuedSubmissionKey>.NotFound();
        }

        if (old.ReplacedBy is not null)
        {
            return new SubmissionKeyOutcome<IssuedSubmissionKey>.Conflict(old.ReplacedBy);
        }

        // A revoked key (perhaps leaked) stays dead: a successor with the same label and bindings would be a working key
        // issued on the strength of one the council chose to stop. A revocation that lands while we rotate changes the
        // row, so the replace below fails and our new key is withdrawn.
        if (old.RevokedAt is not null)
        {
            return new SubmissionKeyOutcome<IssuedSubmissionKey>.Revoked();
        }

        var now = clock.GetUtcNow();
        DateTimeOffset? newExpiry = old.ExpiresAt is { } oldExpiry
            ? now + TimeSpan.FromTicks(Math.Min((oldExpiry - old.CreatedAt).Ticks, SubmissionKeyLimits.MaxLifetime.Ticks))
            : null;

        // The new key first: a crash before the old key is updated leaves two working keys with the same
        // label (visible in the list, the old one still revocable), never an agency without one.
        var issued = await InsertNewKeyAsync(agencyId, old.Label, newExpiry, Read(old.AllowedOrigins), Read(old.AllowedAddresses), rotatedBy, now, cancellationToken);

        old.ReplacedBy = issued.Info.KeyId;
        if (overlap == TimeSpan.Zero)
        {
            old.RevokedAt = now;
            old.RevokedBy = rotatedBy;
        }
        else if (old.ExpiresAt is null || old.ExpiresAt > now + overlap)
        {
            old.ExpiresAt = now + overlap;
        }

        if (!await store.TryReplaceAsync(old, cancellationToken))
        {
            // Someone changed the old key since we read it (perhaps rotated it too): withdraw ours.
            await RevokeAsync(agencyId, issued.Info.KeyId, rotatedBy, cancellationToken);
            var current = await store.FindAsync(keyId, cancellationToken);
            return new SubmissionKeyOutcome<IssuedSubmissionKey>.Conflict(current?.ReplacedBy);
        }

        logger.LogInformation("Submission key {KeyId} of agency {AgencyId} rotated to {NewKeyId} by {PersonId}", keyId, agencyId, issued.Info.KeyId, rotatedBy);
        return new SubmissionKeyOutcome<IssuedSubmissionKey>.Done(issued);
    }

    /// <summary>
    /// Checks a presented key. A malformed key is refused without touching storage; otherwise exactly one
    /// point read, no cache, so a revocation is honoured from the next request on (0 seconds). The secret is
    /// checked (in constant time) before anything else is revealed about the key.
    /// </summary>
    /// <param name="presentedKey">The key as sent in the request header.</param>
    /// <param name="origin">The request's <c>Origin</c> header, if any.</param>
    /// <param name="clientAddress">From <c>ClientAddressResolver</c>; null when unknown.</param>
    public async Task<SubmissionKeyAuthentication> AuthenticateAsync(string? presentedKey, string? origin, IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        if (!SubmissionKeyFormat.TryParse(presentedKey, out var keyId, out var secret))
        {
            return new SubmissionKeyAuthentication.Failed(SubmissionKeyFailureReasons.Malformed, null);
        }

        var row = await store.FindAsync(keyId, cancellationToken);
        var reason = row is null ? SubmissionKeyFailureReasons.Unknown : Check(row, secret, origin, clientAddress);
        if (reason is not null)
        {
            logger.LogInformation("Submission key {KeyId} refused: {Reason}", keyId, reason);
            return new SubmissionKeyAuthentication.Failed(reason, keyId);
        }

        return new SubmissionKeyAuthentication.Succeeded(keyId, row!.AgencyId);
    }

    private string? Check(SubmissionKeyEntity row, byte[] secret, string? origin, IPAddress? clientAddress)
    {
        EnsureReadable(row);
        if (!SubmissionKeyFormat.Matches(secret, row.SecretHash))
        {
            return SubmissionKeyFailureReasons.WrongSecret;
        }

        if (row.RevokedAt is not null)
        {
            return SubmissionKeyFailureReasons.Revoked;
        }

        if (row.ExpiresAt is { } expiry && clock.GetUtcNow() >= expiry)
        {
            return SubmissionKeyFailureReasons.Expired;
        }

        if (!AllowedOrigins.Allows(Read(row.AllowedOrigins), origin))
        {
            return SubmissionKeyFailureReasons.OriginNotAllowed;
        }

        return AllowedAddresses.Allows(Read(row.AllowedAddresses), clientAddress) ? null : SubmissionKeyFailureReasons.AddressNotAllowed;
    }

    private async Task<SubmissionKeyEntity?> FindOwnAsync(string agencyId, string keyId, CancellationToken cancellationToken)
    {
        if (!SubmissionKeyFormat.IsKeyId(keyId) || !AgencyIds.IsValid(agencyId))
        {
            return null;
        }

        var row = await store.FindAsync(keyId, cancellationToken);
        if (row is null || !string.Equals(row.AgencyId, agencyId, StringComparison.Ordinal))
        {
            return null;
        }

        EnsureReadable(row);
        return row;
    }

    private async Task<IssuedSubmissionKey> InsertNewKeyAsync(
        string agencyId,
        string label,
        DateTimeOffset? expiresAt,
        IReadOnlyList<string> origins,
        IReadOnlyList<string> addresses,
        string issuedBy,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < IdAttempts; attempt++)
        {
            var keyId = SubmissionKeyFormat.NewKeyId();
            var secret = SubmissionKeyFormat.NewSecret();
            var entity = new SubmissionKeyEntity
            {
                RowKey = keyId,
                AgencyId = agencyId,
                Label = label,
                SecretHash = Convert.ToBase64String(SubmissionKeyFormat.Hash(secret)),
                CreatedAt = now,
                CreatedBy = issuedBy,
                ExpiresAt = expiresAt,
                AllowedOrigins = JsonSerializer.Serialize(origins),
                AllowedAddresses = JsonSerializer.Serialize(addresses),
            };
            if (await store.TryAddAsync(entity, cancellationToken))
            {
                return new IssuedSubmissionKey(SubmissionKeyFormat.Format(keyId, secret), ToInfo(entity));
            }
        }

        throw new InvalidOperationException("Could not find a free submission key id.");
    }

    private static void EnsureReadable(SubmissionKeyEntity row)
    {
        if (row.SchemaVersion > SubmissionKeyEntity.CurrentSchemaVersion)
        {
            throw new InvalidOperationException($"Submission key {row.RowKey} has schema version {row.SchemaVersion}, newer than this release reads.");
        }
    }

    private static IReadOnlyList<string> Read(string json)
        => string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private static SubmissionKeyInfo ToInfo(SubmissionKeyEntity row)
        => new(
            row.RowKey,
            row.AgencyId,
            row.Label,
            row.CreatedAt,
            row.CreatedBy,
            row.ExpiresAt,
            row.RevokedAt,
            row.RevokedBy,
            Read(row.AllowedOrigins),
            Read(row.AllowedAddresses),
            row.ReplacedBy);
}

using System.Globalization;
using Serverless.Cases;
using Serverless.Identity;
using Serverless.Storage;
using Serverless.Time;
using Serverless.Transfers.Partners;
using Serverless.Validation;

namespace Serverless.Transfers.Incoming;

/// <summary>One received message as coordinators see it in the list: ids, codes, times and the hash; no child data.</summary>
/// <param name="SenderName">The partner's display name as registered here (null if it is no longer registered).</param>
/// <param name="State"><see cref="IncomingTransferStates"/>.</param>
public sealed record IncomingTransferView(string MessageId, string SenderMunicipalityCode, string? SenderName, DateTimeOffset ReceivedAt, string State, string Sha256);

/// <summary>One page of received messages and the token for the next (null on the last).</summary>
public sealed record IncomingTransferPage(IReadOnlyList<IncomingTransferView> Transfers, string? ContinuationToken);

/// <summary>
/// <c>GET /api/transfers?direction=incoming</c>: the messages received from partner councils, for coordinators only
/// (every other role 403 before anything is validated). Page size 1–100 (default 50); tokens bound to this list.
/// </summary>
public sealed class IncomingTransferList(IncomingTransferStore store, TransferPartnerStore partners)
{
    public const string IncomingDirection = "incoming";
    private const string Scope = "transfers-incoming";

    /// <param name="parseErrors">What the HTTP layer could not read from the query (reported only to a coordinator).</param>
    public async Task<CaseOutcome<IncomingTransferPage>> ListAsync(Caller caller, string? direction, int? pageSize, string? continuationToken, IReadOnlyList<ValidationError> parseErrors, CancellationToken cancellationToken)
    {
        if (!caller.IsCoordinator)
        {
            return new CaseOutcome<IncomingTransferPage>.Forbidden();
        }

        var errors = new List<ValidationError>(parseErrors);
        if (direction is null && !errors.Any(error => error.Field == "$.direction"))
        {
            errors.Add(new ValidationError("$.direction", FieldRules.Required));
        }
        else if (direction is not null and not IncomingDirection)
        {
            errors.Add(new ValidationError("$.direction", FieldRules.InvalidValue));
        }

        var size = pageSize ?? IncomingTransferLimits.DefaultPageSize;
        if (size is < 1 or > IncomingTransferLimits.MaxPageSize)
        {
            errors.Add(new ValidationError("$.pageSize", FieldRules.OutOfRange, new Dictionary<string, string> { ["min"] = "1", ["max"] = IncomingTransferLimits.MaxPageSize.ToString(CultureInfo.InvariantCulture) }));
        }

        string? storageToken = null;
        if (continuationToken is not null && (storageToken = ContinuationTokens.Decode(continuationToken, Scope)) is null)
        {
            errors.Add(new ValidationError("$.continuationToken", FieldRules.InvalidId));
        }

        if (errors.Count > 0)
        {
            return new CaseOutcome<IncomingTransferPage>.Invalid(errors);
        }

        var (rows, next) = await store.PageAsync(size, storageToken, cancellationToken);
        var names = (await partners.AllAsync(cancellationToken)).ToDictionary(partner => partner.MunicipalityCode, partner => partner.DisplayName, StringComparer.Ordinal);
        var views = rows.Select(row => new IncomingTransferView(
            row.RowKey, row.PartitionKey, names.GetValueOrDefault(row.PartitionKey), JapanTime.ToJapan(row.ReceivedAt), row.State, row.Sha256)).ToList();
        return new CaseOutcome<IncomingTransferPage>.Done(new IncomingTransferPage(views, next is null ? null : ContinuationTokens.Encode(Scope, next)));
    }
}

using System.Text.Json.Nodes;
using Serverless.Cases;
using Serverless.Transfers.Packages;

namespace Serverless.Transfers.Receiving;

/// <summary><c>POST /api/transfers/incoming/{sender}/{messageId}/acceptance</c>: register the package as a new case here.</summary>
/// <param name="ConfirmedNotDuplicateOf">As on <see cref="CreateCaseRequest"/>: the cases the coordinator checked are another
/// child (the registration answers 409 <c>cases.possible-duplicate</c> with the candidates until they are confirmed).</param>
public sealed record AcceptTransferRequest(IReadOnlyList<string>? ConfirmedNotDuplicateOf = null);

/// <summary><c>POST /api/transfers/incoming/{sender}/{messageId}/more-requests</c>: ask the sender for more.</summary>
/// <param name="Request">What the receiving coordinators need (1–2,000 characters, multi-line). Travels only sealed.</param>
public sealed record TransferMoreRequest(string? Request = null);

/// <summary>A received package as the receiving coordinators see it, with where it stands here.</summary>
/// <param name="State"><see cref="Incoming.IncomingTransferStates"/>.</param>
/// <param name="CaseId">The case it was accepted into (set from <c>accepting</c> on).</param>
/// <param name="MoreRequest">The last more-request sent (coordinators only, like the whole package).</param>
public sealed record IncomingPackageView(
    string MessageId,
    string SenderMunicipalityCode,
    string? SenderName,
    string State,
    DateTimeOffset CreatedAt,
    DateTimeOffset ReceivedAt,
    string? CaseId,
    DateTimeOffset? AcceptedAt,
    string? MoreRequest,
    DateTimeOffset? MoreRequestedAt,
    string SourceCaseId,
    TransferCaseRecord Case,
    IReadOnlyList<IncomingEntryView> Timeline,
    LastReview? LatestReview,
    bool LocationSecrecy,
    bool ReferrerSecrecy,
    TransferHandover? Handover);

/// <summary>One timeline entry of a received package. <paramref name="AgencyName"/>: the sender's agency, absent under
/// referrer secrecy (通告者の秘匿: which agency wrote can name who referred).</summary>
public sealed record IncomingEntryView(string EntryId, string Kind, DateTimeOffset At, JsonObject Content, string? AgencyName, IReadOnlyList<TransferFileReference> Files);

/// <summary>Where a received message stands after a more-request.</summary>
public sealed record IncomingTransferStatusView(string MessageId, string SenderMunicipalityCode, string State, DateTimeOffset? MoreRequestedAt);

public static class ReceivingContent
{
    /// <summary>An entry's travelled content as a JSON object (it is the entry's view; anything else is kept under <c>value</c>).</summary>
    public static JsonObject Of(System.Text.Json.JsonElement content)
        => System.Text.Json.JsonSerializer.SerializeToNode(content) as JsonObject ?? new JsonObject { ["value"] = System.Text.Json.JsonSerializer.SerializeToNode(content) };
}

public static class ReceivingLimits
{
    public const int MaxMoreRequestLength = 2000;

    /// <summary>Bodies of the acceptance and the more-request.</summary>
    public const int MaxBodyBytes = 16 * 1024;
}

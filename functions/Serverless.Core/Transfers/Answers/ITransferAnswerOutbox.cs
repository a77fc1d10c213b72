namespace Serverless.Transfers.Answers;

/// <summary>
/// The receiving council's answer to a package it received: accepted into a case (<see cref="TransferAnswerKinds.Acknowledgement"/>)
/// or "send us more" (<see cref="TransferAnswerKinds.MoreRequest"/>). It travels back to the sender signed, so the sender
/// can prove who acknowledged and when.
/// </summary>
/// <param name="SenderMunicipalityCode">The council that sent the package, to whom the answer goes.</param>
/// <param name="PackageMessageId">The package's message id (<c>tm-</c> and 32 hex digits).</param>
/// <param name="Kind">One of <see cref="TransferAnswerKinds"/>.</param>
/// <param name="AnsweredAt">When the coordinator decided.</param>
/// <param name="AnsweredByName">The deciding coordinator's display name, as the sender should see it (travels encrypted only).</param>
/// <param name="Request">For a more-request, what the receiver asks for (1–2,000 characters); null for an acknowledgement.</param>
public sealed record TransferAnswer(
    string SenderMunicipalityCode,
    string PackageMessageId,
    string Kind,
    DateTimeOffset AnsweredAt,
    string AnsweredByName,
    string? Request);

/// <summary>The kinds of answer; each is also the <see cref="Envelope.TransferMessageKind"/> it travels as.</summary>
public static class TransferAnswerKinds
{
    public const string Acknowledgement = Envelope.TransferMessageKind.Acknowledgement;
    public const string MoreRequest = Envelope.TransferMessageKind.MoreRequest;
}

/// <summary>
/// Hands an answer on for delivery: persists it first, then queues its id, and returns once it is persisted. Idempotent on
/// (sender, package, kind, answered-at): calling again after a crash queues the same answer, never a second one.
/// The receiving side (acceptance, more-requests) calls it; <c>Transfers/Answers</c> implements it.
/// </summary>
public interface ITransferAnswerOutbox
{
    Task SendAsync(TransferAnswer answer, CancellationToken cancellationToken);
}

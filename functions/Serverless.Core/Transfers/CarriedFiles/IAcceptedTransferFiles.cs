using Serverless.Transfers.Packages;

namespace Serverless.Transfers.CarriedFiles;

/// <summary>A received package that a coordinator accepted into a new case: which imported entry stands for which of the sender's.</summary>
/// <param name="SenderMunicipalityCode">The sending council.</param>
/// <param name="PackageMessageId">The package's message id.</param>
/// <param name="CaseId">The new case the package was accepted into.</param>
/// <param name="Entries">Every imported timeline entry, with the files the sender's entry carried.</param>
public sealed record AcceptedTransfer(
    string SenderMunicipalityCode,
    string PackageMessageId,
    string CaseId,
    IReadOnlyList<ImportedTransferEntry> Entries);

/// <param name="OriginEntryId">The entry's id at the sender.</param>
/// <param name="EntryId">The entry's id in the new case.</param>
/// <param name="Files">The file references the sender's entry carried (id, name, type, length, SHA-256).</param>
public sealed record ImportedTransferEntry(string OriginEntryId, string EntryId, IReadOnlyList<TransferFileReference> Files);

/// <summary>
/// Brings the files a package carried into the case it was accepted into. Called by the acceptance once the case and its
/// entries exist (and again if the acceptance is retried): idempotent, a file already imported is not imported twice. A
/// file whose bytes have not arrived yet is imported when they arrive. <c>Transfers/CarriedFiles</c> implements it.
/// </summary>
public interface IAcceptedTransferFiles
{
    Task ImportAsync(AcceptedTransfer accepted, CancellationToken cancellationToken);
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Files.Storage;
using Serverless.Identity;
using Serverless.Transfers.Packages;

namespace Serverless.Transfers.Outgoing;

/// <summary>
/// Builds the package of a case as the receiving coordinators should see it: the record's travelling fields, every
/// timeline entry the sending coordinator sees (as a coordinator's view, without the author's person and agency ids:
/// agencies travel by name), the files attached to those entries with their SHA-256, the latest review, and the
/// location and referrer secrecy flags.
/// </summary>
public sealed class TransferPackageBuilder(EntryStore entries, CaseFiles files, AgencyDirectory agencies)
{
    private const int PageSize = 100;

    public async Task<TransferPackage> BuildAsync(Caller caller, OpenCase open, TransferHandover handover, CancellationToken cancellationToken)
    {
        var record = open.Record;
        var directory = await agencies.AllAsync(cancellationToken);
        var stored = new List<StoredEntry>();
        string? token = null;
        do
        {
            var (page, next) = await entries.PageAsync(open.CaseId, null, null, PageSize, token, cancellationToken);
            stored.AddRange(page.Where(entry => EntryVisibility.Sees(caller, open, entry)));
            token = next;
        }
        while (token is not null);

        var caseFiles = (await files.ListAsync(open.CaseId, cancellationToken))
            .Where(file => file.State == FileState.Ready && file.EntryId is not null && file.Validated is not null)
            .ToLookup(file => file.EntryId!, StringComparer.Ordinal);
        var timeline = stored
            .OrderBy(entry => entry.ReceivedAt)
            .Select(entry =>
            {
                var view = EntryVisibility.View(caller, open, entry, corrected: entry.Version > 1);
                var content = JsonSerializer.SerializeToNode(view, CaseJson.Options)!.AsObject();
                content.Remove("author"); // person ids and key ids mean nothing at the receiver
                content.Remove("scope");
                var attached = entry.Redaction is null
                    ? caseFiles[entry.EntryId].Select(file => new TransferFileReference(file.FileId, file.Name, file.Validated!.Type.ContentType, file.Validated.Stored.Length, file.Validated.Stored.Sha256)).ToList()
                    : [];
                return new TransferTimelineEntry(
                    entry.EntryId,
                    EntryRows.Name(entry.Type),
                    entry.ReceivedAt,
                    JsonSerializer.SerializeToElement(content, CaseJson.Options),
                    attached,
                    directory.TryGetValue(entry.Author.AgencyId, out var agency) ? agency.Name : null);
            })
            .ToList();

        return new TransferPackage(
            TransferPackage.CurrentSchemaVersion,
            open.CaseId,
            new TransferCaseRecord(
                record.Category, record.Status, record.AbuseTypes, record.Household, record.PrimaryAbuseType, record.MainAbuserRelationship,
                record.ReferralRoute, record.RiskLevel, record.Urgency, record.Child, record.ExpectantMother, record.Location, record.Notes),
            timeline,
            LocationSecrecy: record.LocationSecrecy,
            // 児童虐待防止法 第7条: who referred the child never leaks, so every package asks the receiver to keep it so.
            ReferrerSecrecy: true,
            LatestAssessment: null,
            LatestReview: record.LastReview,
            Handover: handover);
    }
}

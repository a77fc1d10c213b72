using Microsoft.Extensions.Logging;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Entries;

namespace Serverless.Stats;

/// <summary>
/// Counts a stored entry in its month (the month it was received in Japan), fed by the entry-events fan-out: a report
/// by the kind of its agency and its own kind (as the entry stood when its event was first handled); a case change that
/// opened a case (受理), registered one (登録: created as registered or moved to it), or closed one (with the outcome of the version that closed it). The entry id is the event id, so
/// a redelivered message or the catch-up timer adds nothing (<see cref="MonthlyCounters"/>).
/// </summary>
public sealed class StatsRecorder(EntryStore entries, CaseStore cases, AgencyDirectory agencies, MonthlyCounters counters, ILogger<StatsRecorder> logger)
{
    public async Task RecordAsync(string caseId, string entryId, EntryType type, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        if (type is not (EntryType.Report or EntryType.CaseChange))
        {
            return;
        }

        var first = await entries.HeadAsync(caseId, EntryEntity.TimelineRowKey(receivedAt, entryId), cancellationToken);
        if (first is null)
        {
            return;
        }

        var increments = await IncrementsAsync(first, cancellationToken);
        if (increments.Count == 0)
        {
            return;
        }

        var month = StatsMonth.Of(first.ReceivedAt);
        if (!await counters.AddAsync(month, entryId, increments, cancellationToken))
        {
            logger.LogInformation("Entry {EntryId} was counted in {Month} already", entryId, month.Key);
        }
    }

    private async Task<Dictionary<string, long>> IncrementsAsync(StoredEntry entry, CancellationToken cancellationToken)
    {
        var increments = new Dictionary<string, long>(StringComparer.Ordinal);
        if (entry.Report is { } report)
        {
            var agency = await agencies.FindAsync(entry.Author.AgencyId, cancellationToken);
            increments[StatsMeasures.Reports] = 1;
            increments[StatsMeasures.ReportsByAgencyKind(agency?.Kind)] = 1;
            increments[StatsMeasures.ReportsByKind(report.Kind)] = 1;
        }
        else if (entry.CaseChange is { } change)
        {
            foreach (var item in change.Changes)
            {
                if (item.Kind == CaseChangeKind.Registered)
                {
                    increments[StatsMeasures.Opened] = 1;
                }

                if (item.Kind is CaseChangeKind.Registered or CaseChangeKind.Status && item.To == StatsMeasures.Registered)
                {
                    increments[StatsMeasures.Registered] = 1;
                }
                else if (item.Kind == CaseChangeKind.Closed)
                {
                    increments[StatsMeasures.Closed] = 1;
                    var closedBy = await cases.VersionAsync(entry.CaseId, change.Version, cancellationToken);
                    if (closedBy?.Closure is { } closure)
                    {
                        increments[StatsMeasures.ClosedBy(closure.Outcome)] = 1;
                    }
                }
            }
        }

        return increments;
    }
}

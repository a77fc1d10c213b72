using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Serverless.Storage;

namespace Serverless.Council.Ledger;

/// <summary>One numbered copy of the ledger: who took it, when, for which meeting, in which form, with how many cases.</summary>
public sealed record LedgerCopy(long Number, string MeetingId, string TakenBy, DateTimeOffset TakenAt, string Format, int Cases);

/// <summary>
/// The council's numbered copies of the ledger (写し番号), in the Meetings table's <c>ledger-copies</c> partition: a
/// counter row and one row per copy. Taking a number is an ETag-checked increment of the counter submitted in one
/// transaction with the copy's own row, retried when another export took the number meanwhile: two exports never share a
/// number, and a number is never taken without its record (nor the record written without its number).
/// </summary>
public sealed class LedgerCopies(StorageClients clients, StorageNames names)
{
    public const string Partition = "ledger-copies";
    public const string CounterRow = "counter";
    public const int MaxAttempts = 20;

    private TableClient Table => clients.Tables.GetTableClient(names.Table(Meetings.MeetingService.TableName));

    public static string CopyRow(long number) => "copy-" + number.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>Takes the next number and records the copy under it.</summary>
    public async Task<LedgerCopy> TakeAsync(string meetingId, string takenBy, DateTimeOffset at, string format, int cases, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var counter = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, CounterRow, cancellationToken: cancellationToken);
            var last = counter.HasValue ? counter.Value!.GetInt64("Last") ?? 0 : 0;
            var copy = new LedgerCopy(last + 1, meetingId, takenBy, at, format, cases);
            var next = new TableEntity(Partition, CounterRow) { ["SchemaVersion"] = 1, ["Last"] = copy.Number };
            var record = new TableEntity(Partition, CopyRow(copy.Number))
            {
                ["SchemaVersion"] = 1,
                ["MeetingId"] = meetingId,
                ["TakenBy"] = takenBy,
                ["TakenAt"] = at,
                ["Format"] = format,
                ["Cases"] = cases,
            };
            TableTransactionAction[] actions =
            [
                counter.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, counter.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, next),
                new TableTransactionAction(TableTransactionActionType.Add, record),
            ];
            try
            {
                await Table.SubmitTransactionAsync(actions, cancellationToken);
                return copy;
            }
            catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // another export took this number first: read the counter again
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    /// <summary>A copy by its number (null: no such copy).</summary>
    public async Task<LedgerCopy?> FindAsync(long number, CancellationToken cancellationToken)
    {
        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, CopyRow(number), cancellationToken: cancellationToken);
        return row.HasValue
            ? new LedgerCopy(number, row.Value!.GetString("MeetingId"), row.Value.GetString("TakenBy"), row.Value.GetDateTimeOffset("TakenAt")!.Value, row.Value.GetString("Format"), row.Value.GetInt32("Cases") ?? 0)
            : null;
    }
}

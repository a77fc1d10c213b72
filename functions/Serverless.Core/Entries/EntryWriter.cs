using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Idempotency;
using Serverless.Identity;
using Serverless.Problems;

namespace Serverless.Entries;

/// <summary>A new entry's answer: 201 with its receipt, or the answer a retry with the same Idempotency-Key replays.</summary>
public sealed record EntryAdded(IdempotentResponse Response, bool Replayed);

/// <summary>
/// Stores a new entry, honouring the request's Idempotency-Key: the completion record goes into the same
/// batch as the entry, so under one key exactly one entry is ever stored, however the retries interleave.
/// Then the entry's event goes through the work queue (ids only).
/// </summary>
public sealed class EntryWriter(CaseStore cases, EntryStore entries, IdempotencyRecords idempotency, EntryEvents events, Files.Attachments.FileAttachments attachments, ILogger<EntryWriter> logger)
{
    /// <summary>The answer a request with <paramref name="key"/> already got, or null when it must be done.</summary>
    public async Task<CaseOutcome<EntryAdded>?> ReplayAsync(string caseId, IdempotencyKey? key, CancellationToken cancellationToken)
        => key is null ? null
            : ReferenceEquals(key, IdempotencyKey.Malformed) ? new CaseOutcome<EntryAdded>.KeyConflict(ProblemCatalogue.InvalidIdempotencyKey)
            : Answer(await idempotency.LookupAsync(cases.Table, caseId, key, cancellationToken));

    /// <param name="location">The new entry's URL, as the caller should be told it.</param>
    /// <param name="files">Files to attach, checked (<see cref="Files.Attachments.FileAttachments.PrepareAsync"/>): in the entry's batch.</param>
    public async Task<CaseOutcome<EntryAdded>> AddAsync(Caller caller, StoredEntry entry, IdempotencyKey? key, string location, CancellationToken cancellationToken, Files.Attachments.FilesToAttach? files = null)
    {
        files ??= Files.Attachments.FilesToAttach.None;
        var receipt = new EntryReceipt(entry.EntryId, entry.Type, Time.JapanTime.ToJapan(entry.ReceivedAt), entry.Version);
        var response = new IdempotentResponse(201, JsonSerializer.Serialize(receipt, CaseJson.Options), location);
        // Announced before it is stored (the catch-up timer finds an entry whose event is lost), beside the key's mark.
        var announced = events.AnnounceAsync(entry, cancellationToken);
        var marked = MarkAsync();
        try
        {
            await Task.WhenAll(announced, marked);
        }
        catch (Exception) when (key is not null && marked.IsCompletedSuccessfully && Answer(marked.Result) is null)
        {
            await idempotency.ReleaseAsync(cases.Table, entry.CaseId, key); // our mark, and nothing stored: a retry need not wait
            throw;
        }

        if (Answer(await marked) is { } refused)
        {
            return refused; // its announcement names an entry that is never stored: dropped by the timer
        }

        async Task<IdempotencyCheck?> MarkAsync() => key is null ? null : await idempotency.MarkAsync(cases.Table, entry.CaseId, key, cancellationToken);

        bool stored;
        try
        {
            stored = await entries.AddAsync(entry, [.. key is null ? [] : new[] { idempotency.Completion(entry.CaseId, key, response) }, .. files.Actions], cancellationToken);
        }
        catch (Exception) when (key is not null)
        {
            await idempotency.ReleaseAsync(cases.Table, entry.CaseId, key); // a retry need not wait for the mark to expire
            throw;
        }

        if (!stored && (await entries.VersionsAsync(entry.CaseId, entry.EntryId, cancellationToken)).Count > 0)
        {
            // Entry ids are 128 random bits: the entry is there only because this batch stored it, and the storage client's
            // own retry (its first answer lost on the way) met it. Stored, not a collision.
            stored = true;
        }

        if (!stored)
        {
            // Entry ids are 128 random bits, so only the completion row can have collided (another attempt with this key
            // completed), or a file changed since it was checked (attached meanwhile by another entry).
            var check = key is null ? null : await idempotency.AfterConflictAsync(cases.Table, entry.CaseId, key, cancellationToken);
            if (check is IdempotencyCheck.Replay or IdempotencyCheck.OtherBody)
            {
                return Answer(check)!;
            }

            if (files.Files.Count > 0)
            {
                if (key is not null)
                {
                    await idempotency.ReleaseAsync(cases.Table, entry.CaseId, key); // nothing stored under it
                }

                return new CaseOutcome<EntryAdded>.Refused(ProblemCatalogue.FileAlreadyAttached);
            }

            return key is null
                ? throw new InvalidOperationException($"Entry {entry.EntryId} already exists in case {entry.CaseId}.")
                : Answer(check)!;
        }

        caller.Audit.TouchedEntries([entry.EntryId]);
        logger.LogInformation("Entry {EntryId} ({EntryType}) added to case {CaseId} by {CallerId}", entry.EntryId, entry.Type, entry.CaseId, caller.Id);
        await attachments.ReleaseAsync(files);
        await events.SendAsync(entry);
        return new CaseOutcome<EntryAdded>.Done(new EntryAdded(response, Replayed: false));
    }

    /// <summary>The answer an idempotency check gives before anything is stored, or null to go on (also for referrals).</summary>
    public static CaseOutcome<EntryAdded>? Answer(IdempotencyCheck? check) => check switch
    {
        IdempotencyCheck.Replay replay => new CaseOutcome<EntryAdded>.Done(new EntryAdded(replay.Response, Replayed: true)),
        IdempotencyCheck.OtherBody => new CaseOutcome<EntryAdded>.KeyConflict(ProblemCatalogue.IdempotencyKeyReused),
        IdempotencyCheck.InFlight => new CaseOutcome<EntryAdded>.KeyConflict(ProblemCatalogue.IdempotencyKeyInFlight),
        _ => null,
    };
}

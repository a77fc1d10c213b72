using Azure;
using Azure.Data.Tables;

namespace Serverless.Idempotency;

/// <summary>What an idempotency key says about a request before it runs.</summary>
public abstract record IdempotencyCheck
{
    /// <summary>Go on: nothing was done with this key yet (the in-flight mark is now ours).</summary>
    public sealed record Proceed : IdempotencyCheck;

    /// <summary>Done before with the same body: answer exactly this again.</summary>
    public sealed record Replay(IdempotentResponse Response) : IdempotencyCheck;

    /// <summary>Done before, or under way, with another body (422).</summary>
    public sealed record OtherBody : IdempotencyCheck;

    /// <summary>The first attempt is still running (409).</summary>
    public sealed record InFlight : IdempotencyCheck;
}

/// <summary>The answer a completed request gave, kept for its retries.</summary>
public sealed record IdempotentResponse(int Status, string Body, string? Location);

/// <summary>
/// Idempotency keys as the IETF httpapi Idempotency-Key draft has them: a retry with the same key and body gets
/// the original answer and stores nothing; another body under the same key is 422; a retry while the first
/// attempt runs is 409, until its mark expires (<see cref="InFlightFor"/>), after which the retry redoes it.
/// Nothing is ever doubled even then: the completion row is inserted in the same batch as what the request
/// creates, and of two attempts only one insert can succeed. Completions are kept as long as what they created
/// (at least 24 hours, as the draft asks).
/// </summary>
public sealed class IdempotencyRecords(TimeProvider clock)
{
    /// <summary>Longer than a request takes to store its batch; short, so a crashed attempt's retry waits little.</summary>
    public static readonly TimeSpan InFlightFor = TimeSpan.FromSeconds(30);

    /// <summary>The answer already given under <paramref name="key"/> (a replay, or another body), or null when
    /// none was: asked first, so a retry is answered as the first attempt was whatever has changed since.</summary>
    public Task<IdempotencyCheck?> LookupAsync(TableClient table, string partition, IdempotencyKey key, CancellationToken cancellationToken)
        => CompletedAsync(table, partition, key, cancellationToken);

    /// <summary>Marks <paramref name="key"/> in flight before the request stores anything, or says why it may not go on.</summary>
    public async Task<IdempotencyCheck> MarkAsync(TableClient table, string partition, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mark = new IdempotencyEntity
        {
            PartitionKey = partition,
            RowKey = IdempotencyEntity.InFlightRow(key.Scope),
            RequestHash = key.RequestHash,
            CreatedAt = now,
            ExpiresAt = now + InFlightFor,
            Attempt = Guid.NewGuid().ToString("N"),
        };
        try
        {
            await table.AddEntityAsync(mark, cancellationToken);
            return new IdempotencyCheck.Proceed();
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Another attempt holds the mark, or held it and completed just now.
        }

        if (await CompletedAsync(table, partition, key, cancellationToken) is { } completed)
        {
            return completed;
        }

        var held = await table.GetEntityIfExistsAsync<IdempotencyEntity>(partition, mark.RowKey, cancellationToken: cancellationToken);
        if (!held.HasValue)
        {
            return new IdempotencyCheck.InFlight(); // released this instant: the retry's retry goes through
        }

        if (held.Value!.Attempt == mark.Attempt)
        {
            return new IdempotencyCheck.Proceed(); // our own insert, stored before its answer was lost and retried by the client
        }

        if (held.Value.RequestHash != key.RequestHash)
        {
            return new IdempotencyCheck.OtherBody();
        }

        if (held.Value.ExpiresAt > now)
        {
            return new IdempotencyCheck.InFlight();
        }

        // The first attempt crashed: take its mark over (only one retry can, by the ETag) and redo the request.
        try
        {
            await table.UpdateEntityAsync(mark, held.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            return new IdempotencyCheck.Proceed();
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return new IdempotencyCheck.InFlight();
        }
    }

    /// <summary>The completion row, to insert in the same batch as what the request creates.</summary>
    public TableTransactionAction Completion(string partition, IdempotencyKey key, IdempotentResponse response)
        => new(TableTransactionActionType.Add, new IdempotencyEntity
        {
            PartitionKey = partition,
            RowKey = IdempotencyEntity.CompletedRow(key.Scope),
            RequestHash = key.RequestHash,
            CreatedAt = clock.GetUtcNow(),
            Status = response.Status,
            Response = response.Body,
            Location = response.Location,
        });

    /// <summary>The answer stored for <paramref name="key"/> after its batch lost to another attempt's.</summary>
    public async Task<IdempotencyCheck> AfterConflictAsync(TableClient table, string partition, IdempotencyKey key, CancellationToken cancellationToken)
        => await CompletedAsync(table, partition, key, cancellationToken) ?? new IdempotencyCheck.InFlight();

    /// <summary>Drops the in-flight mark: once the request completed (its completion row answers from now on) or
    /// failed (so a retry need not wait for the mark to expire). Best effort: an expired mark counts for nothing.</summary>
    public async Task ReleaseAsync(TableClient table, string partition, IdempotencyKey key)
    {
        try
        {
            await table.DeleteEntityAsync(partition, IdempotencyEntity.InFlightRow(key.Scope), ETag.All, CancellationToken.None);
        }
        catch (RequestFailedException)
        {
            // gone already, or storage is away: the mark expires by itself
        }
    }

    private static async Task<IdempotencyCheck?> CompletedAsync(TableClient table, string partition, IdempotencyKey key, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<IdempotencyEntity>(partition, IdempotencyEntity.CompletedRow(key.Scope), cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var done = row.Value!;
        return done.RequestHash == key.RequestHash
            ? new IdempotencyCheck.Replay(new IdempotentResponse(done.Status, done.Response ?? "", done.Location))
            : new IdempotencyCheck.OtherBody();
    }
}

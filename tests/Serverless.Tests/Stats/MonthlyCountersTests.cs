using Serverless.Stats;
using Serverless.Tests.Cases.Api;

namespace Serverless.Tests.Stats;

/// <summary>The monthly counters against the real Azurite: exact under concurrent writers and redelivered events.</summary>
public sealed class MonthlyCountersTests
{
    private static readonly string[] Measures = ["opened", "registered", "closed", "closedBy.improved", "reports", "reportsByAgencyKind.school", "reportsByAgencyKind.nursery", "reportsByKind.injury", "reportsByKind.attendance"];

    [Fact]
    public async Task CountsEqualAFullRecountAfterARandomisedRunWithConcurrentWritersAndReplays()
    {
        await using var api = await CaseApi.StartAsync();
        var counters = api.Host.Get<MonthlyCounters>();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var months = new[] { new StatsMonth(2025, 4), new StatsMonth(2025, 5), new StatsMonth(2025, 6) };
        var events = Enumerable.Range(0, 150).Select(i => (
            Id: $"event-{i:D4}",
            Month: months[random.Next(months.Length)],
            Increments: (IReadOnlyDictionary<string, long>)Measures.Where(_ => random.Next(3) == 0).DefaultIfEmpty(Measures[0]).ToDictionary(name => name, _ => 1L))).ToList();
        // Every event delivered one to three times, all deliveries shuffled and sent by 12 writers at once.
        var deliveries = events.SelectMany(item => Enumerable.Repeat(item, 1 + random.Next(3))).OrderBy(_ => random.Next()).ToList();
        var added = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = 12 }, async (delivery, token) =>
        {
            if (await counters.AddAsync(delivery.Month, delivery.Id, delivery.Increments, token))
            {
                added.Add(delivery.Id);
            }
        });

        Assert.True(deliveries.Count > events.Count, $"seed {seed}: some events were replayed");
        Assert.Equal(events.Select(item => item.Id).Order(), added.Order()); // each event added exactly once
        foreach (var month in months)
        {
            var recount = events.Where(item => item.Month == month).SelectMany(item => item.Increments)
                .GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value));
            var stored = await counters.ReadAsync(month, CancellationToken.None);
            Assert.True(recount.OrderBy(pair => pair.Key).SequenceEqual(stored.OrderBy(pair => pair.Key)), $"seed {seed}, {month.Name}: stored {string.Join(",", stored)}; recount {string.Join(",", recount)}");
        }

        Assert.Empty(await counters.ReadAsync(new StatsMonth(2025, 7), CancellationToken.None));
    }

    [Fact]
    public async Task AMonthKeepsOneHeadRowHoweverManyEventsItCounted()
    {
        await using var api = await CaseApi.StartAsync();
        var counters = api.Host.Get<MonthlyCounters>();
        var month = new StatsMonth(2025, 4);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(await counters.AddAsync(month, $"e{i}", new Dictionary<string, long> { ["reports"] = 1 }, CancellationToken.None));
        }

        Assert.False(await counters.AddAsync(month, "e3", new Dictionary<string, long> { ["reports"] = 1 }, CancellationToken.None));
        var rows = new List<string>();
        await foreach (var row in counters.Table.QueryAsync<Azure.Data.Tables.TableEntity>($"PartitionKey eq '{MonthlyCounters.Partition(month)}'"))
        {
            rows.Add(row.RowKey);
        }

        Assert.Single(rows, key => key.StartsWith("h-", StringComparison.Ordinal));
        Assert.Equal(5, rows.Count(key => key.StartsWith("e-", StringComparison.Ordinal)));
        Assert.Equal(5, (await counters.ReadAsync(month, CancellationToken.None))["reports"]);
    }
}

using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Serverless.Cases;
using Serverless.Entries;
using Serverless.Referrals;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Benchmarks;

/// <summary>
/// The coordinators' open list (<c>GET /api/referrals?state=open</c>) must cost the same however many referrals have
/// been closed: it is one query of the <c>open</c> partition. Ten open referrals, entered through the API, beside ten
/// closed ones and beside <c>closed</c> closed ones (10,000 by default); prints mean, p50 and p95 of the list request
/// at both sizes and the ratio large ÷ small (target: p50s within 1.2). Beside them, the same query by hand with a
/// bare table client: Azurite keeps no index by partition (it filters every row of the table), so on the emulator the
/// query itself grows with the table, and the difference between the two is the app's own share.
/// </summary>
public static class ReferralListBenchmark
{
    private const int Open = 10;
    private const int SmallClosed = 10;
    private const int Runs = 301;
    private const double Target = 1.2;

    public static async Task RunAsync(int closed, TextWriter output)
    {
        await using var small = await SeededAsync(SmallClosed, output);
        await using var large = await SeededAsync(closed, output);

        var smallOperations = await OperationsAsync(small);
        var largeOperations = await OperationsAsync(large);
        output.WriteLine($"  one list = {smallOperations} at {SmallClosed:N0} closed; {(largeOperations == smallOperations ? "the same" : largeOperations)} at {closed:N0} closed");

        // Turn about, so warm-up, JIT, the emulator's drift and a noisy neighbour weigh on all four alike.
        var times = await Measure.InterleavedTimesAsync(10, Runs, _ => ListAsync(small), _ => ListAsync(large), _ => BareAsync(small), _ => BareAsync(large));
        var (smallTimes, largeTimes, smallBare, largeBare) = (times[0], times[1], times[2], times[3]);

        var ratio = Measure.Percentile(largeTimes, 50) / Measure.Percentile(smallTimes, 50);
        output.WriteLine(
            $"open referral list ({Open} open, {Runs} requests each): {Figures(smallTimes)} beside {SmallClosed:N0} closed; {Figures(largeTimes)} beside {closed:N0} closed; "
            + $"ratio large ÷ small p50 {ratio:F2} (target ≤ {Target:F1}: {(ratio <= Target ? "met" : "not met")}), mean {largeTimes.Average() / smallTimes.Average():F2}, p95 {Measure.Percentile(largeTimes, 95) / Measure.Percentile(smallTimes, 95):F2}");
        output.WriteLine(
            $"  the open partition's query by hand with bare tables: {Figures(smallBare)} beside {SmallClosed:N0} closed; {Figures(largeBare)} beside {closed:N0} closed; "
            + $"ratio p50 {Measure.Percentile(largeBare, 50) / Measure.Percentile(smallBare, 50):F2} (what the emulator itself does as its table grows: Azurite filters every row of a table, whatever the partition)");
        output.WriteLine(
            $"  the app's own share, list p50 − bare query p50: {Measure.Percentile(smallTimes, 50) - Measure.Percentile(smallBare, 50):F2} ms beside {SmallClosed:N0} closed, "
            + $"{Measure.Percentile(largeTimes, 50) - Measure.Percentile(largeBare, 50):F2} ms beside {closed:N0} closed");
    }

    /// <summary>The open partition's query by hand, with a bare table client: what the emulator itself does as the table grows.</summary>
    private static Task BareAsync(BenchmarkHost host)
        => new BareTableReplay(host.Get<StorageClients>().Tables, "").PartitionAsync(host.Prefix + ReferralStore.TableName, ReferralIndexEntity.OpenPartition);

    private static string Figures(List<double> sorted)
        => $"mean {sorted.Average():F2} ms, p50 {Measure.Percentile(sorted, 50):F2} ms, p95 {Measure.Percentile(sorted, 95):F2} ms";

    private static async Task ListAsync(BenchmarkHost host)
    {
        using var response = await host.Client.GetAsync("api/referrals?state=open");
        response.EnsureSuccessStatusCode();
        var listed = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (listed!["referrals"]!.AsArray().Count != Open)
        {
            throw new InvalidOperationException("The open list does not hold exactly the open referrals.");
        }
    }

    /// <summary>What one list request did to storage, without the host's table prefix (so both sizes compare).</summary>
    private static async Task<string> OperationsAsync(BenchmarkHost host)
    {
        var before = host.Counter.For("ListReferrals");
        await ListAsync(host);
        return string.Join(", ", StorageOperationCounter.Difference(before, host.Counter.For("ListReferrals"))
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => $"{pair.Value} × {pair.Key.Replace(host.Prefix, "", StringComparison.Ordinal)}"));
    }

    private static async Task<BenchmarkHost> SeededAsync(int closed, TextWriter output)
    {
        var host = await BenchmarkHost.StartAsync();
        var seeding = System.Diagnostics.Stopwatch.StartNew();
        await SeedClosedAsync(host, closed);
        for (var n = 0; n < Open; n++)
        {
            await ReceiveAsync(host, n);
        }

        output.WriteLine($"  seeded {closed:N0} closed and {Open} open referrals in {seeding.Elapsed.TotalSeconds:F0} s");
        return host;
    }

    /// <summary>A call a coordinator enters (代理入力), through the API: the open referrals are made as the app makes them.</summary>
    private static async Task ReceiveAsync(BenchmarkHost host, int n)
    {
        var body = new JsonObject
        {
            ["kind"] = "abuse-report",
            ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["narrative"] = "架空の通告（ベンチマーク用） " + n,
            ["child"] = new JsonObject { ["name"] = new JsonObject { ["family"] = "試験", ["given"] = "太郎" + n }, ["approximateAge"] = 6 },
            ["referrer"] = new JsonObject { ["anonymous"] = true },
            ["intake"] = new JsonObject { ["channel"] = "phone" },
        };
        using var response = await host.Client.PostAsync("api/referrals", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Closed referrals written with the app's own row shapes (<see cref="ReferralRows"/>) and the store's own batch: each
    /// head (with its sighting, in its own partition) by <see cref="ReferralStore.CreateAsync"/>, the receipt numbers and
    /// the submitter's receipts in batches of 100. Half are 養護相談 decided with no further action; half 虐待通告
    /// seen within the hour and then decided so. Their open-list pointers are gone, as the app leaves them.
    /// </summary>
    private static async Task SeedClosedAsync(BenchmarkHost host, int count)
    {
        var store = host.Get<ReferralStore>();
        var retentionYears = host.Get<IOptions<ReferralOptions>>().Value.RetentionYears;
        var now = DateTimeOffset.UtcNow;
        var numbers = new HashSet<string>(StringComparer.Ordinal);
        var referrals = Enumerable.Range(0, count).Select(n => Closed(n, now.AddMinutes(-10 - n), Unique(numbers), retentionYears)).ToList();

        await Parallel.ForEachAsync(referrals, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (closed, cancellationToken) =>
        {
            if (!await store.CreateAsync(closed.Referral, closed.Sighting is { } sighting ? [new(TableTransactionActionType.Add, ReferralRows.Confirmation(closed.Referral.ReferralId, sighting))] : [], cancellationToken))
            {
                throw new InvalidOperationException("A benchmark referral was stored twice.");
            }
        });

        var pointers = referrals.Select(closed => ReferralRows.ReceiptPointer(closed.Referral.ReferralId, closed.Referral.ReceiptNumber))
            .Concat(referrals.Select(closed => ReferralRows.SubmitterPointer(closed.Referral)))
            .GroupBy(pointer => pointer.PartitionKey)
            .SelectMany(partition => partition.Chunk(100));
        await Parallel.ForEachAsync(pointers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, cancellationToken) =>
            await store.Table.SubmitTransactionAsync(batch.Select(pointer => new TableTransactionAction(TableTransactionActionType.Add, pointer)), cancellationToken));
    }

    private static string Unique(HashSet<string> numbers)
    {
        string number;
        do
        {
            number = ReceiptNumbers.New();
        }
        while (!numbers.Add(number));
        return number;
    }

    private static (StoredReferral Referral, SafetyConfirmation? Sighting) Closed(int n, DateTimeOffset receivedAt, string receiptNumber, int retentionYears)
    {
        var consultation = n % 2 == 0;
        var decidedAt = receivedAt.AddHours(1);
        var coordinator = Serverless.DevHost.DemoPeople.PersonId("coordinator-sato");
        var sighting = consultation
            ? null
            : new SafetyConfirmation(EntryIds.NewSafetyConfirmation(), receivedAt.AddMinutes(30), new SeenByInput { AgencyId = "minami-shogakko", Name = "試験 次郎" }, SightingMethod.AtSchool, "保健室", "元気に登校", false, coordinator, receivedAt.AddMinutes(40));
        var referral = new StoredReferral(
            ReferralIds.New(),
            receiptNumber,
            consultation ? ReferralKind.CareConsultation : ReferralKind.AbuseReport,
            ReferralChannel.Online,
            ReferralRoute.School,
            receivedAt,
            new ReferralSubmitter(EntryAuthor.Person, Serverless.DevHost.DemoPeople.PersonId("teacher-tanaka"), "minami-shogakko"),
            new ReferralContent(receivedAt.AddHours(-2), "架空の通告（ベンチマーク用） " + n, new ChildDescription { Name = new PersonName { Family = "試験", Given = "花子" + n }, ApproximateAge = 8 }, null, null))
        {
            State = ReferralState.Decided,
            DeadlineAt = consultation ? null : receivedAt.AddHours(48),
            FirstConfirmedAt = sighting?.SeenAt,
            Confirmations = sighting is null ? 0 : 1,
            Decision = new ReferralDecision(ReferralOutcome.NoFurtherAction, JapanTime.DateOf(decidedAt), coordinator, decidedAt, null, null, null, "受理会議で助言のみと判断", null),
            RetainUntil = JapanTime.DateOf(decidedAt).AddYears(retentionYears),
        };
        return (referral, sighting);
    }
}

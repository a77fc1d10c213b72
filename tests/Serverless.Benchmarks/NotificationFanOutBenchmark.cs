using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Serverless.Agencies;
using Serverless.Cases;
using Serverless.DevHost;
using Serverless.Entries;
using Serverless.Identity;
using Serverless.Identity.People;
using Serverless.Identity.Tokens;
using Serverless.Notifications;
using Serverless.Queues;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Benchmarks;

/// <summary>
/// How long after a report's 201 the last of its recipients has it in their inbox, with the <c>EntryAdded</c> queue
/// function live on the local host's listener (host.json's back-off, 100 ms up to <c>maxPollingInterval</c>): a case
/// with 30 agencies on it, two named staff each, so one all-participants report by one of them tells 59 staff and the
/// coordinators. Warm: 20 reports one after another, the listener just busy (target under 1 s on Azurite). Idle: a
/// report after the listener has backed off to <c>maxPollingInterval</c>, five times, each after a different idle
/// time (so each lands at a different point of the 10-second poll). Beside them, the storage operations of handling
/// one event, at 30 agencies and at 3, and the function's own time without a poll to wait for. Figures only; the inbox
/// is polled from outside the app every 10 ms.
/// </summary>
public static class NotificationFanOutBenchmark
{
    private const int Agencies = 30;
    private const int SmallAgencies = 3;
    private const int StaffPerAgency = 2;
    private const int WarmUp = 2;
    private const int WarmRuns = 20;
    private const int AloneRuns = 11;
    private const double WarmTargetMilliseconds = 1_000;
    private const string Function = "EntryAdded";

    /// <summary>Where the host's own receives and deletes are counted (the function's work counts under its name).</summary>
    private const string ListenerScope = "EntryAdded listener";

    private static readonly TimeSpan[] IdleWaits = [.. Enumerable.Range(0, 5).Select(i => TimeSpan.FromSeconds(15 + (2 * i)))];
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromSeconds(60);

    public static async Task RunAsync(TextWriter output)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var settings = host.Get<HostSettings>();
        var council = await SyntheticCouncil.RegisterAsync(host.Get<AgencyDirectory>(), host.Get<PeopleDirectory>(), Agencies, StaffPerAgency, CancellationToken.None);
        var today = JapanTime.Today(TimeProvider.System);
        var large = await CaseAsync(host, council.Case(1, Agencies, today));
        var small = await CaseAsync(host, council.Case(2, SmallAgencies, today));
        var author = SyntheticCouncil.Subject(1, 0); // a member of the key agency (a school)
        var coordinators = DemoPeople.People.Count(person => person.Role == CallerRole.Coordinator);
        var largeRecipients = (Agencies * StaffPerAgency) - 1 + coordinators;
        var smallRecipients = (SmallAgencies * StaffPerAgency) - 1 + coordinators;
        var inbox = new TableServiceClient(BenchmarkHost.Storage).GetTableClient(host.Get<StorageNames>().Table(NotificationInbox.TableName));
        output.WriteLine($"notification fan-out: a case with {Agencies} agencies on it (lead, key and {Agencies - 2} more), {StaffPerAgency} named staff each; one all-participants report by one of them tells {largeRecipients} people ({(Agencies * StaffPerAgency) - 1} staff and {coordinators} coordinators); host.json maxPollingInterval {settings.MaxPollingInterval.TotalSeconds:F0} s, batchSize {settings.BatchSize}");

        // Storage operations first, with no listener running: one event handled as the host handles it, alone.
        await HandleQueuedAsync(host); // the two cases' registrations
        foreach (var (caseId, agencies, recipients) in new[] { (large, Agencies, largeRecipients), (small, SmallAgencies, smallRecipients) })
        {
            var entryId = await SubmitAsync(host, caseId, author);
            var (operations, _) = await HandleQueuedAsync(host);
            await DeliveredAsync(inbox, entryId, recipients, Stopwatch.StartNew());
            output.WriteLine("  " + Describe(host, operations, agencies, recipients));
        }

        // The function's own time, without the wait for a poll: events handled one at a time as soon as they are queued.
        var alone = new List<double>(AloneRuns);
        for (var i = 0; i < AloneRuns; i++)
        {
            await SubmitAsync(host, large, author);
            alone.Add((await HandleQueuedAsync(host)).Milliseconds);
        }

        alone.Sort();
        output.WriteLine($"  the EntryAdded function alone at {largeRecipients} recipients (the host's receive and delete aside; {AloneRuns} events one at a time): p50 {Measure.Percentile(alone, 50):F0} ms, max {alone[^1]:F0} ms");

        // Latency, with the queue trigger live.
        await using (await host.StartQueueListenerAsync(Function, ListenerScope))
        {
            output.WriteLine("  " + await WarmAsync(host, inbox, large, author, largeRecipients));
            foreach (var line in await IdleAsync(host, inbox, large, author, largeRecipients))
            {
                output.WriteLine("  " + line);
            }
        }
    }

    /// <summary>Reports one after another, each as soon as the one before is in every inbox: the listener was just busy.</summary>
    private static async Task<string> WarmAsync(BenchmarkHost host, TableClient inbox, string caseId, string author, int recipients)
    {
        var warm = new List<double>(WarmRuns);
        var listenerBefore = host.Counter.For(ListenerScope);
        for (var i = -WarmUp; i < WarmRuns; i++)
        {
            var time = await ReportToLastInboxAsync(host, inbox, caseId, author, recipients);
            if (i >= 0)
            {
                warm.Add(time);
            }
        }

        // The listener deletes a message after the function returns, a moment after the last inbox row is written.
        var settled = Stopwatch.StartNew();
        while (Deletes(host, StorageOperationCounter.Difference(listenerBefore, host.Counter.For(ListenerScope))) < WarmUp + WarmRuns && settled.Elapsed < GiveUpAfter)
        {
            await Task.Delay(PollEvery);
        }

        var listener = StorageOperationCounter.Difference(listenerBefore, host.Counter.For(ListenerScope));
        warm.Sort();
        var (p50, p95) = (Measure.Percentile(warm, 50), Measure.Percentile(warm, 95));
        return $"warm ({WarmRuns} reports one after another, after {WarmUp} unmeasured): 201 → last of {recipients} inbox rows p50 {p50:F0} ms, p95 {p95:F0} ms, max {warm[^1]:F0} ms, "
            + $"min {warm[0]:F0} ms (target < {WarmTargetMilliseconds:N0} ms: {(p95 < WarmTargetMilliseconds ? "met" : p50 < WarmTargetMilliseconds ? "met at p50, not at p95" : "not met")}); "
            + $"the listener meanwhile: {Receives(host, listener)} receives and {Deletes(host, listener)} deletes for {WarmRuns + WarmUp} messages";
    }

    /// <summary>A report after the listener has backed off, each after a different idle time; and the polls while idle.</summary>
    private static async Task<IReadOnlyList<string>> IdleAsync(BenchmarkHost host, TableClient inbox, string caseId, string author, int recipients)
    {
        var interval = host.Get<HostSettings>().MaxPollingInterval.TotalSeconds;
        var idle = new List<string>();
        var times = new List<double>();
        var receives = 0L;
        foreach (var wait in IdleWaits)
        {
            var before = host.Counter.For(ListenerScope);
            await Task.Delay(wait);
            receives += Receives(host, StorageOperationCounter.Difference(before, host.Counter.For(ListenerScope)));
            var time = await ReportToLastInboxAsync(host, inbox, caseId, author, recipients);
            idle.Add($"{time:N0} ms after {wait.TotalSeconds:F0} s idle");
            times.Add(time);
        }

        return
        [
            $"idle (the listener backed off towards {interval:F0} s; 201 → last inbox row): {string.Join(", ", idle)}; mean {times.Average():N0} ms "
                + $"(a poll lands anywhere in the {interval:F0}-second interval: half of it on average, all of it at worst, plus the warm time)",
            $"the listener's polls while idle: {receives} receives in {IdleWaits.Sum(wait => wait.TotalSeconds):F0} s of waiting (backing off 0.1, 0.2, 0.4 … 6.4 s, then every {interval:F0} s)",
        ];
    }

    /// <summary>A report through the API, then the time from its 201 until every recipient's inbox row exists.</summary>
    private static async Task<double> ReportToLastInboxAsync(BenchmarkHost host, TableClient inbox, string caseId, string author, int recipients)
    {
        var entryId = await SubmitAsync(host, caseId, author);
        var since = Stopwatch.StartNew();
        return await DeliveredAsync(inbox, entryId, recipients, since);
    }

    /// <summary>Polls the inbox table (from outside the app, uncounted) until exactly <paramref name="recipients"/> rows
    /// carry the entry's id; returns the time since <paramref name="since"/> started.</summary>
    private static async Task<double> DeliveredAsync(TableClient inbox, string entryId, int recipients, Stopwatch since)
    {
        var filter = TableClient.CreateQueryFilter($"EntryId eq {entryId}");
        while (true)
        {
            var rows = 0;
            await foreach (var _ in inbox.QueryAsync<TableEntity>(filter, select: ["RowKey"]))
            {
                rows++;
            }

            var elapsed = since.Elapsed;
            if (rows == recipients)
            {
                return elapsed.TotalMilliseconds;
            }

            if (rows > recipients || elapsed > GiveUpAfter)
            {
                throw new InvalidOperationException($"Entry {entryId}: {rows} inbox rows after {elapsed.TotalSeconds:F0} s, {recipients} expected.");
            }

            await Task.Delay(PollEvery);
        }
    }

    /// <summary>
    /// Handles every queued entry event exactly as the local host's listener does for each (one receive of up to
    /// <c>batchSize</c>, the function through <see cref="FunctionInvoker"/>, one delete), and returns what that did to
    /// storage (the host's own calls and the function's), and how long the function took in all.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, long> Operations, double Milliseconds)> HandleQueuedAsync(BenchmarkHost host)
    {
        const string scope = "benchmark: host calls";
        var settings = host.Get<HostSettings>();
        var function = host.Get<IReadOnlyList<FunctionDescriptor>>().OfType<QueueFunction>().Single(queue => queue.Name == Function);
        var queue = host.Get<StorageClients>().RawQueues.GetQueueClient(host.Get<StorageNames>().Queue(function.QueueName));
        var (hostBefore, functionBefore) = (host.Counter.For(scope), host.Counter.For(Function));
        var invoking = new Stopwatch();
        using (StorageOperationCounter.BeginScope(scope))
        {
            var messages = (await queue.ReceiveMessagesAsync(settings.BatchSize, settings.ProcessingLease)).Value;
            foreach (var message in messages)
            {
                if (!QueueMessageText.TryDecode(message.Body.ToString(), out var text))
                {
                    throw new InvalidOperationException("An entry event is not base64.");
                }

                invoking.Start();
                await host.Get<FunctionInvoker>().InvokeAsync(function, parameter => parameter.ParameterType == typeof(string) ? text : (object)CancellationToken.None, "benchmark");
                invoking.Stop();
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        var operations = StorageOperationCounter.Difference(hostBefore, host.Counter.For(scope))
            .Concat(StorageOperationCounter.Difference(functionBefore, host.Counter.For(Function)))
            .GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value), StringComparer.Ordinal);
        return (operations, invoking.Elapsed.TotalMilliseconds);
    }

    private static string Describe(BenchmarkHost host, IReadOnlyDictionary<string, long> operations, int agencies, int recipients)
    {
        var total = operations.Values.Sum();
        var inserts = operations.GetValueOrDefault($"table POST {host.Prefix}{NotificationInbox.TableName}");
        var listed = string.Join(", ", operations.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Value} × {Unprefixed(host, pair.Key)}"));
        return $"one event handled at {agencies} agencies ({recipients} recipients): {listed}; total {total}, {(double)total / recipients:F2} per recipient ({inserts} inserts + {total - inserts} others)";
    }

    private static long Receives(BenchmarkHost host, IReadOnlyDictionary<string, long> operations)
        => operations.GetValueOrDefault($"queue GET {host.Get<StorageNames>().Queue(EntryEvents.Queue)}/messages");

    private static long Deletes(BenchmarkHost host, IReadOnlyDictionary<string, long> operations)
        => operations.GetValueOrDefault($"queue DELETE {host.Get<StorageNames>().Queue(EntryEvents.Queue)}/messages/*");

    private static string Unprefixed(BenchmarkHost host, string operation)
        => operation.Replace(host.Get<StorageNames>().Queue(""), "", StringComparison.Ordinal).Replace(host.Prefix, "", StringComparison.Ordinal);

    private static async Task<string> CaseAsync(BenchmarkHost host, CaseRecord record)
    {
        var coordinator = new Caller(DemoPeople.PersonId("coordinator-sato"), "midori-kodomo-ka", CallerRole.Coordinator);
        var outcome = await host.Get<CaseService>().CreateAsync(coordinator, new CreateCaseRequest(record), CancellationToken.None);
        return outcome is CaseOutcome<CaseView>.Done done ? done.Value.CaseId : throw new InvalidOperationException($"The benchmark case was refused: {outcome}");
    }

    /// <summary>A routine home-visit report for all participants, through the API, signed in as <paramref name="author"/>.</summary>
    private static async Task<string> SubmitAsync(BenchmarkHost host, string caseId, string author)
    {
        var body = new JsonObject
        {
            ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["kind"] = "home-visit",
            ["narrative"] = "架空の家庭訪問の報告（ベンチマーク用）",
            ["scope"] = new JsonObject { ["audience"] = "all-participants" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cases/{caseId}/reports") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + DevelopmentTokens.Create(DevelopmentSecrets.TokenSigningKey, author, TimeSpan.FromHours(1), TimeProvider.System));
        using var response = await host.Client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"A benchmark report was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        var receipt = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (string)receipt!["entryId"]!;
    }
}

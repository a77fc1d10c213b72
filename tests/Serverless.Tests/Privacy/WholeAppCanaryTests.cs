using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Serverless.Tests.Identity;
using Serverless.Tests.Infrastructure;
using Serverless.Tests.Reliability;
using Xunit.Abstractions;

namespace Serverless.Tests.Privacy;

/// <summary>
/// The personal-data canary over the whole app (issue #18). One host, the authorization matrix's world, with the queue
/// listeners running, telemetry captured and every storage request recorded (<see cref="StorageTraffic"/>). Every
/// operation of the OpenAPI document it serves is called as the caller the matrix lets through, with names (kanji,
/// kana, katakana), phone numbers, a birth date, an address and narratives planted in its body's strings; then with
/// them where they do not belong: the query, a header, each path id. When the queues have drained, none of them may be
/// in a log line, a telemetry item, a table key, a blob name, metadata or tag, a queue message (sent or still present,
/// poison queues included), a storage request URL, or a <c>Location</c>/<c>Link</c> header.
/// </summary>
[Collection(nameof(TelemetryCaptureCollection))]
public sealed class WholeAppCanaryTests(ITestOutputHelper output)
{
    /// <summary>Table point reads that take a path id as their key unchecked (attendance staff and monthly report, break-glass grant).</summary>
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [Fact]
    public async Task PersonalDataSentToEveryOperationReachesNoLogTelemetryKeyBlobNameQueueMessageUrlOrLinkHeader()
    {
        var watch = Stopwatch.StartNew();
        var canary = new PersonalDataCanary();
        var traffic = new StorageTraffic();
        await using var world = await MatrixWorld.StartAsync(
            backgroundTriggers: true,
            telemetry: true,
            services: traffic.Register,
            hostSettings: settings =>
            {
                settings.MaxDequeueCount = 2;
                settings.VisibilityTimeout = TimeSpan.Zero;
                settings.MaxPollingInterval = TimeSpan.FromMilliseconds(500);
            });
        var document = JsonNode.Parse(await world.Host.Client.GetStringAsync("/api/openapi.json"))!;
        var operations = FuzzOperation.All(document);

        var leaks = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var called = new HashSet<string>(StringComparer.Ordinal);
        var plantedAndAccepted = 0;
        var linkHeaders = 0;
        var unarranged = new List<string>();
        var unanswered = new List<string>();
        foreach (var operation in operations)
        {
            FuzzBase valid;
            try
            {
                valid = await FuzzBase.ForAsync(world, operation).WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The matrix's arrangement for this operation failed on this busier host: the operation is still called,
                // as the coordinator with placeholder ids, and the failure is shown.
                unarranged.Add($"{operation.Id}: {ex.Message.Split('\n')[0]}");
                valid = new FuzzBase(MatrixCaller.Coordinator, operation.In("path").ToDictionary(parameter => parameter.Name, _ => "x", StringComparer.Ordinal), "", null, new Dictionary<string, string>());
            }

            foreach (var (variant, request) in Requests(canary, world, operation, valid))
            {
                using var answered = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                HttpResponseMessage sentResponse;
                try
                {
                    sentResponse = await world.Host.Client.SendAsync(request, answered.Token);
                }
                catch (OperationCanceledException)
                {
                    // Not this test's finding (the fuzz's is hanging requests): shown, and the walk goes on.
                    unanswered.Add($"{operation.Id} [{variant}]");
                    request.Dispose();
                    continue;
                }

                using (request)
                using (var response = sentResponse)
                {
                    var status = (int)response.StatusCode;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    called.Add(operation.Id);
                    if (variant is "free-text" && status is >= 200 and < 300)
                    {
                        plantedAndAccepted++;
                    }

                    foreach (var name in new[] { "Location", "Content-Location", "Link" })
                    {
                        var values = response.Headers.TryGetValues(name, out var found) ? found : response.Content.Headers.TryGetValues(name, out var content) ? content : [];
                        foreach (var value in values)
                        {
                            linkHeaders++;
                            if (canary.Finds(value))
                            {
                                leaks.Add($"{name} header of {operation.Id} [{variant}]: {value}");
                            }
                        }
                    }
                }
            }
        }

        var drained = await DrainAsync(world.Host);
        traffic.Stop();

        leaks.AddRange(await canary.FindLeaksAsync(world.Host));
        var urls = traffic.Urls;
        var messages = traffic.QueueMessages;
        leaks.AddRange(urls.Where(canary.Finds).Select(url => $"storage request URL: {url}"));
        leaks.AddRange(messages.Where(canary.Finds).Select(message => $"queue message sent: {message}"));

        var sent = statuses.Values.Sum();
        output.WriteLine($"whole-app canary: {sent} requests to {called.Count}/{operations.Count} operations in {watch.Elapsed.TotalSeconds:0.0}s, statuses "
            + string.Join(" ", statuses.Select(pair => $"{pair.Key}×{pair.Value}")) + $"; {plantedAndAccepted} accepted with planted bodies; queues drained: {drained}");
        output.WriteLine("checked: " + string.Join(", ", canary.Checked.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Value} {pair.Key}"))
            + $", {urls.Count} storage request URLs, {messages.Count} queue messages sent, {linkHeaders} Location/Link headers");
        foreach (var line in unarranged)
        {
            output.WriteLine("not arranged: " + line);
        }

        foreach (var line in unanswered)
        {
            output.WriteLine("no answer within 10 s: " + line);
        }

        foreach (var error in world.Host.Logs.Entries.Where(entry => entry.Exception is not null).Take(5))
        {
            output.WriteLine($"logged exception ({error.Category}): {error.Exception!.Split('\n')[0]}");
        }

        Assert.True(leaks.Count == 0, $"{leaks.Count} leaks:{Environment.NewLine}" + string.Join(Environment.NewLine, leaks.Take(40)));

        // The run was not empty: every operation called, personal data accepted and carried through queues and blobs.
        Assert.Equal(operations.Count, called.Count);
        Assert.True(sent >= operations.Count * 2, $"only {sent} requests"); // every operation: at least the query and header variants
        Assert.True(plantedAndAccepted >= 10, $"only {plantedAndAccepted} requests with planted bodies were accepted");
        Assert.NotEmpty(messages);
        Assert.NotEmpty(urls);
        Assert.True(linkHeaders > 0, "no Location or Link header was looked into");
        foreach (var kind in new[] { "log lines", "telemetry items", "table keys", "queues", "blobs" })
        {
            Assert.True(canary.Checked.TryGetValue(kind, out var n) && n > 0, $"no {kind} looked into");
        }
    }

    /// <summary>The requests for one operation: its valid request with personal data in the body's free text, then in
    /// every string of the body, then misplaced in the query, in headers, and as each path id.</summary>
    private static IEnumerable<(string Variant, HttpRequestMessage Request)> Requests(PersonalDataCanary canary, MatrixWorld world, FuzzOperation operation, FuzzBase valid)
    {
        var authorization = world.Authorization(valid.Caller);
        HttpRequestMessage Build(string variant, IReadOnlyDictionary<string, string> route, string query, JsonNode? body, IReadOnlyDictionary<string, string> headers)
            => new FuzzedRequest(
                variant,
                operation.Method,
                Path(operation, route) + query,
                valid.Caller.ToString(),
                authorization,
                headers,
                body is null ? null : Encoding.UTF8.GetBytes(body.ToJsonString(Relaxed)),
                body is null ? null : "application/json").ToRequest();

        if (valid.Body is not null)
        {
            yield return ("free-text", Build("free-text", valid.Route, valid.Query, Plant(canary, valid.Body.DeepClone(), null, everyString: false), valid.Headers));
            yield return ("every-string", Build("every-string", valid.Route, valid.Query, Plant(canary, valid.Body.DeepClone(), null, everyString: true), valid.Headers));
        }

        var separator = valid.Query.Length == 0 ? "?" : "&";
        var query = $"{valid.Query}{separator}child={Uri.EscapeDataString(canary.KanjiName)}&phone={Uri.EscapeDataString(canary.InternationalPhone)}&q={Uri.EscapeDataString(canary.Narrative)}";
        yield return ("query", Build("query", valid.Route, query, valid.Body, valid.Headers));

        // Header values go as ASCII: the URL-encoded name, as a client that has to would send it.
        var headers = new Dictionary<string, string>(valid.Headers, StringComparer.OrdinalIgnoreCase)
        {
            ["X-Child-Name"] = Uri.EscapeDataString(canary.KanaName),
            ["X-Reporter-Phone"] = canary.Phone,
        };
        foreach (var parameter in operation.In("header"))
        {
            headers[parameter.Name] = Uri.EscapeDataString(canary.FamilyName);
        }

        yield return ("header", Build("header", valid.Route, valid.Query, valid.Body, headers));

        foreach (var parameter in operation.In("path"))
        {
            var route = new Dictionary<string, string>(valid.Route, StringComparer.Ordinal) { [parameter.Name] = canary.FamilyName };
            yield return ("path-id " + parameter.Name, Build("path-id", route, valid.Query, valid.Body, valid.Headers));
        }
    }

    /// <summary>Replaces strings of <paramref name="node"/> with planted values chosen by the field's name: all of them, or
    /// only free text (any non-ASCII string), dates of birth and phone numbers, so that the request can still succeed.</summary>
    private static JsonNode? Plant(PersonalDataCanary canary, JsonNode? node, string? name, bool everyString)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(pair => pair.Key).ToList())
                {
                    var child = obj[key];
                    var planted = Plant(canary, child, key, everyString);
                    if (!ReferenceEquals(planted, child))
                    {
                        obj[key] = planted;
                    }
                }

                return obj;
            case JsonArray array:
                for (var index = 0; index < array.Count; index++)
                {
                    var child = array[index];
                    var planted = Plant(canary, child, name, everyString);
                    if (!ReferenceEquals(planted, child))
                    {
                        array[index] = planted;
                    }
                }

                return array;
            case JsonValue value when value.TryGetValue<string>(out var text):
                var field = (name ?? "").ToLowerInvariant();
                var isBirth = field.Contains("birth", StringComparison.Ordinal);
                var isPhone = field.Contains("phone", StringComparison.Ordinal) || field.Contains("tel", StringComparison.Ordinal)
                    || (field.Contains("contact", StringComparison.Ordinal) && text.Any(char.IsDigit));
                var plant = everyString || isBirth || isPhone || text.Any(character => character > 0x7F);
                return plant ? JsonValue.Create(Planted(canary, field, isBirth, isPhone)) : value;
            default:
                return node;
        }
    }

    private static string Planted(PersonalDataCanary canary, string field, bool isBirth, bool isPhone)
    {
        if (isBirth)
        {
            return canary.BirthDate;
        }

        if (isPhone)
        {
            return field.Contains("contact", StringComparison.Ordinal) ? canary.InternationalPhone : canary.Phone;
        }

        if (field.Contains("address", StringComparison.Ordinal))
        {
            return canary.Address;
        }

        if (field.Contains("kana", StringComparison.Ordinal))
        {
            return canary.KatakanaName;
        }

        if (field.Contains("family", StringComparison.Ordinal))
        {
            return canary.FamilyName;
        }

        if (field.Contains("given", StringComparison.Ordinal))
        {
            return canary.GivenName;
        }

        if (field.Contains("name", StringComparison.Ordinal))
        {
            return canary.KanjiName;
        }

        return field.Length % 2 == 0 ? canary.ReportText : canary.Narrative;
    }

    private static string Path(FuzzOperation operation, IReadOnlyDictionary<string, string> route)
    {
        var path = operation.Path;
        foreach (var parameter in operation.In("path"))
        {
            path = path.Replace("{" + parameter.Name + "}", Uri.EscapeDataString(route.GetValueOrDefault(parameter.Name, "x")), StringComparison.Ordinal);
        }

        return path;
    }

    /// <summary>Waits until every work queue of the host is empty twice in a row (messages being handled count), so what
    /// the listeners do with the planted data is in the logs and storage looked into; false if they did not in time.</summary>
    private static async Task<bool> DrainAsync(TestHost host)
    {
        var queues = new QueueServiceClient(TestStorage.ConnectionString);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        var emptyInARow = 0;
        while (DateTime.UtcNow < deadline)
        {
            var waiting = 0;
            await foreach (var queue in queues.GetQueuesAsync(prefix: host.Prefix.ToLowerInvariant()))
            {
                if (!queue.Name.EndsWith("-poison", StringComparison.Ordinal))
                {
                    waiting += (await queues.GetQueueClient(queue.Name).GetPropertiesAsync()).Value.ApproximateMessagesCount;
                }
            }

            emptyInARow = waiting == 0 ? emptyInARow + 1 : 0;
            if (emptyInARow == 2)
            {
                return true;
            }

            await Task.Delay(500);
        }

        return false;
    }
}

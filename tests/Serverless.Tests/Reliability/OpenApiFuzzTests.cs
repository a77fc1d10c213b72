using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Problems;
using Serverless.Storage;
using Serverless.Tests.Identity;
using Xunit.Abstractions;

namespace Serverless.Tests.Reliability;

/// <summary>
/// Hostile input for every operation of the OpenAPI document the app serves: requests built from the document (its
/// paths, parameters and body schemas) over the authorization matrix's valid request for a caller who may use the
/// operation, then broken one way each (wrong types, boundaries, Unicode edge cases, missing, extra and huge fields,
/// malformed JSON, wrong content types, bad path ids, bad headers, other callers). Driven by a seeded
/// <see cref="Random"/>: <c>FUZZ_SEED</c> replays a run, <c>FUZZ_REQUESTS</c> sets its size (docs/reliability.md).
/// Asserted: no 5xx; every 4xx is problem details with a code of the <see cref="ProblemCatalogue"/>; no refused
/// request wrote to storage (every write the app's clients sent during it, attributed by the
/// <see cref="StorageOperationCounter"/>, apart from the audit record the app keeps of every refusal).
/// </summary>
public sealed class OpenApiFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 18_2026;
    private const int DefaultRequests = 3000;

    [Fact]
    public async Task EveryOperationAnswersHostileInputWithoutA5xxWithCodedProblemsAndRefusalsWriteNothing()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SEED"), CultureInfo.InvariantCulture, out var given) ? given : DefaultSeed;
        var count = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_REQUESTS"), CultureInfo.InvariantCulture, out var size) ? size : DefaultRequests;
        output.WriteLine($"fuzz seed {seed} (replay: FUZZ_SEED={seed} FUZZ_REQUESTS={count})");

        await using var world = await MatrixWorld.StartAsync();
        var document = JsonNode.Parse(await world.Host.Client.GetStringAsync("/api/openapi.json"))!;
        var operations = FuzzOperation.All(document);
        var bases = new Dictionary<string, FuzzBase>(StringComparer.Ordinal);
        foreach (var operation in operations)
        {
            bases[operation.Id] = await FuzzBase.ForAsync(world, operation);
        }

        var scopes = operations.Select(operation => operation.Id).Append(StorageOperationCounter.Unscoped).ToList();
        var codes = ProblemCatalogue.All.Select(problem => problem.Code).ToHashSet(StringComparer.Ordinal);
        var random = new Random(seed);
        var generator = new FuzzGenerator(random, world);
        var histogram = new SortedDictionary<int, int>();
        var covered = new HashSet<string>(StringComparer.Ordinal);
        var findings = new List<string>();
        var excusedWrites = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var refusedByServer = 0;
        var watch = Stopwatch.StartNew();
        for (var index = 0; index < count; index++)
        {
            var operation = operations[index % operations.Count];
            var fuzzed = generator.Next(operation, bases[operation.Id]);
            var before = Written(world, scopes);
            using var request = fuzzed.ToRequest();
            using var response = await world.Host.Client.SendAsync(request);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            histogram[status] = histogram.GetValueOrDefault(status) + 1;
            covered.Add(operation.Id);
            var label = $"#{index} {operation.Id} [{fuzzed.Mutation}] {fuzzed.Method} {Shorten(fuzzed.Path)} as {fuzzed.CallerName}";
            if (status >= 500)
            {
                findings.Add($"{label}: {status} {Shorten(body)}{Environment.NewLine}  sent: {(fuzzed.Body is null ? "(no body)" : Shorten(System.Text.Encoding.UTF8.GetString(fuzzed.Body)))}");
                continue;
            }

            if (status is < 400 or > 499)
            {
                continue;
            }

            if (status == 400 && body.Length == 0 && response.Content.Headers.ContentType is null && fuzzed.Path.Contains("%00", StringComparison.Ordinal))
            {
                // Kestrel refuses a request target that decodes to NUL before any middleware runs (as the Functions host
                // in Azure does): the app never saw it, so it has no problem body to write and nothing it could store.
                refusedByServer++;
                continue;
            }

            var problem = ProblemCode(response, body);
            if (problem is null || !codes.Contains(problem))
            {
                findings.Add($"{label}: {status} without a catalogued problem code ({response.Content.Headers.ContentType}): {Shorten(body)}");
            }

            foreach (var (write, n) in StorageOperationCounter.Difference(before, Written(world, scopes)).Where(pair => IsWrite(pair.Key)))
            {
                if (IsRefusalAudit(write) || IsFirstSignInPin(write))
                {
                    excusedWrites[write] = excusedWrites.GetValueOrDefault(write) + n;
                }
                else
                {
                    findings.Add($"{label}: refused {status} {problem} but wrote {write} ×{n}");
                }
            }
        }

        var summary = $"fuzz seed {seed}: {count} requests, {covered.Count}/{operations.Count} operations, {watch.Elapsed.TotalSeconds:0.0}s, statuses "
            + string.Join(" ", histogram.Select(pair => $"{pair.Key}×{pair.Value}")) + $" ({refusedByServer} of the 400s from Kestrel, before the app)";
        output.WriteLine(summary);
        output.WriteLine("writes by refused requests that are the audit of the refusal: " + string.Join(", ", excusedWrites.Select(pair => $"{pair.Key}×{pair.Value}")));
        Assert.Equal(operations.Count, covered.Count);
        var pins = excusedWrites.Where(pair => IsFirstSignInPin(pair.Key)).Sum(pair => pair.Value);
        Assert.True(pins <= AuthorizationMatrix.Callers.Count, $"{pins} sign-in pins by refused requests: more than one per person ({summary})");
        Assert.True(findings.Count == 0, $"{summary}{Environment.NewLine}replay with FUZZ_SEED={seed} FUZZ_REQUESTS={count}{Environment.NewLine}" + string.Join(Environment.NewLine, findings.Take(60)));
    }

    /// <summary>Every storage operation the app sent so far and storage did not refuse, by shape, over all scopes (requests
    /// here go one at a time and no listener or timer runs, so the difference over a request is what that request did;
    /// a write storage refused, such as the insert of a row that exists, changed nothing).</summary>
    private static Dictionary<string, long> Written(MatrixWorld world, IEnumerable<string> scopes)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            foreach (var (operation, n) in world.Host.Counter.For(scope))
            {
                totals[operation] = totals.GetValueOrDefault(operation) + n;
            }

            foreach (var (operation, n) in world.Host.Counter.RefusedFor(scope))
            {
                totals[operation] -= n;
            }
        }

        return totals;
    }

    private static bool IsWrite(string operation)
    {
        var method = operation.Split(' ')[1];
        return method is "PUT" or "POST" or "PATCH" or "DELETE" or "MERGE"
            && !operation.EndsWith("/messages?peekonly", StringComparison.Ordinal);
    }

    /// <summary>The writes the app makes for every refused call it audits: the audit rows (refusals are audited on purpose,
    /// docs/audit.md). Nothing else.</summary>
    private static bool IsRefusalAudit(string operation)
        => operation.Split(' ')[2].Contains("Audit", StringComparison.Ordinal);

    /// <summary>The first sign-in of a person pins their issuer on their row (<c>PeopleDirectory.PinSignInAsync</c>), once,
    /// before the operation decides: a refused request may be a person's first.</summary>
    private static bool IsFirstSignInPin(string operation)
        => operation.StartsWith("table PATCH ", StringComparison.Ordinal) && operation.EndsWith("People(key)", StringComparison.Ordinal);

    private static string? ProblemCode(HttpResponseMessage response, string body)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body) is JsonObject problem && problem["code"] is JsonValue code && code.TryGetValue<string>(out var text) ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + $"…({text.Length} chars)";
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serverless.Cases;
using Serverless.Cases.Storage;
using Serverless.Storage;
using Serverless.Time;

namespace Serverless.Benchmarks;

/// <summary>
/// Creating and reading a case through the API against doing the very same storage operations with
/// bare Azure.Data.Tables, in the order an audited request must (memberships, intent, work, outcome),
/// on the same Azurite in the same run. The ratio is API throughput ÷ bare
/// throughput: how much of the storage's speed the app keeps (target at least 0.9).
/// </summary>
public static class CreateReadBenchmark
{
    private const int Runs = 201;

    public static async Task RunAsync(TextWriter output)
    {
        await using var host = await BenchmarkHost.StartAsync();
        var today = JapanTime.Today(TimeProvider.System);
        var next = 1_000_000;
        var created = new List<string>();

        async Task<string> CreateAsync()
        {
            var body = new JsonObject { ["record"] = JsonSerializer.SerializeToNode(SyntheticCases.Registered(Interlocked.Increment(ref next), today), CaseJson.Options) };
            using var response = await host.Client.PostAsJsonAsync("api/cases", body);
            response.EnsureSuccessStatusCode();
            var caseId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["caseId"]!.GetValue<string>();
            created.Add(caseId);
            return caseId;
        }

        // The exact operations one create performs, as the counting policy saw them: the second create, since
        // the first also pins the caller's first sign-in (a People merge no later request repeats).
        await CreateAsync();
        var before = host.Counter.For("CreateCase");
        await CreateAsync();
        var operations = StorageOperationCounter.Difference(before, host.Counter.For("CreateCase"));
        output.WriteLine("  one create = " + string.Join(", ", operations.Select(pair => $"{pair.Value} × {pair.Key}")));

        var casesTable = host.Prefix + CaseStore.TableName;
        var recordJson = CaseStore.Serialize(SyntheticCases.Registered(0, today));
        var bare = new BareTableReplay(host.Get<StorageClients>().Tables, recordJson, host.Get<StorageClients>().Queues);
        var withoutBatch = operations.Where(pair => !pair.Key.EndsWith("$batch", StringComparison.Ordinal)).ToDictionary(pair => pair.Key, pair => pair.Value);

        var (apiCreate, bareCreate) = await Measure.InterleavedMediansAsync(
            5,
            Runs,
            async _ => await CreateAsync(),
            async _ => await bare.RunAuditedAsync(withoutBatch, () => bare.BatchAsync(casesTable)));

        // The exact operations one read performs (sign-in, the audit intent with the case beside it, the outcome).
        var readBefore = host.Counter.For("GetCase");
        using (var probe = await host.Client.GetAsync($"api/cases/{created[0]}"))
        {
            probe.EnsureSuccessStatusCode();
        }

        var readOperations = StorageOperationCounter.Difference(readBefore, host.Counter.For("GetCase"));
        output.WriteLine("  one read = " + string.Join(", ", readOperations.Select(pair => $"{pair.Value} × {pair.Key}")));
        var readWithoutCase = readOperations.Where(pair => !pair.Key.EndsWith("Cases(key)", StringComparison.Ordinal)).ToDictionary(pair => pair.Key, pair => pair.Value);

        var (apiRead, bareRead) = await Measure.InterleavedMediansAsync(
            5,
            Runs,
            async i =>
            {
                using var response = await host.Client.GetAsync($"api/cases/{created[Math.Abs(i) % created.Count]}");
                response.EnsureSuccessStatusCode();
                await response.Content.ReadAsByteArrayAsync();
            },
            async i => await bare.RunAuditedAsync(readWithoutCase, besideIntent: () => bare.PointReadAsync(casesTable, created[Math.Abs(i) % created.Count])));

        // What sign-in and the audit alone cost at the storage floor: three round trips, one after another.
        var auditOnly = readOperations.Where(pair => !pair.Key.EndsWith("Cases(key)", StringComparison.Ordinal)).ToDictionary(pair => pair.Key, pair => pair.Value);
        var signInAndAudit = await Measure.MedianMillisecondsAsync(5, Runs, async _ => await bare.RunAuditedAsync(auditOnly));

        // What any request costs before storage: the HTTP hop through the host to a function that touches nothing.
        var hop = await Measure.MedianMillisecondsAsync(5, Runs, async _ =>
        {
            using var response = await host.Client.GetAsync("api/no-such-route");
            await response.Content.ReadAsByteArrayAsync();
        });

        // Where a read's time beyond storage goes, piece by piece, in this process.
        var token = Serverless.Identity.Tokens.DevelopmentTokens.Create(Serverless.DevHost.DevelopmentSecrets.TokenSigningKey, "coordinator-sato", TimeSpan.FromHours(1), TimeProvider.System);
        var validator = host.Get<Serverless.Identity.Tokens.BearerTokenValidator>();
        var validate = await Measure.MedianMillisecondsAsync(5, Runs, async _ => await validator.ValidateAsync(token, CancellationToken.None));
        var coordinator = new Serverless.Identity.Caller(Serverless.DevHost.DemoPeople.PersonId("coordinator-sato"), "midori-kodomo-ka", Serverless.Identity.CallerRole.Coordinator);
        var service = host.Get<CaseService>();
        var serviceRead = await Measure.MedianMillisecondsAsync(5, Runs, async i => await service.GetAsync(coordinator with { Audit = new() }, created[Math.Abs(i) % created.Count], CancellationToken.None));
        var bareOneRead = await Measure.MedianMillisecondsAsync(5, Runs, async i => await bare.PointReadAsync(casesTable, created[Math.Abs(i) % created.Count]));
        var view = ((CaseOutcome<CaseView>.Done)await service.GetAsync(coordinator, created[0], CancellationToken.None)).Value;
        var signIn = host.Get<Serverless.Identity.SignIn.SignInService>();
        var signInTime = await Measure.MedianMillisecondsAsync(5, Runs, async _ => await signIn.SignInAsync(new Serverless.Identity.Tokens.TokenIdentity(Serverless.Identity.Tokens.DevelopmentTokens.IssuerName, Serverless.Identity.Tokens.DevelopmentTokens.DefaultIssuer, "coordinator-sato", null), null, CancellationToken.None));
        var bareSignIn = await Measure.MedianMillisecondsAsync(5, Runs, async _ => await bare.RunOneAsync($"table GET {host.Prefix}People()"));
        var trail = host.Get<Serverless.Audit.IAuditTrail>();
        var actor = new Serverless.Audit.AuditActor(Serverless.Audit.AuditActorKind.Person, coordinator.Id, coordinator.AgencyId, "Coordinator");
        var intentTime = await Measure.MedianMillisecondsAsync(5, Runs, async i => await trail.BeginAsync(actor, new Serverless.Audit.AuditRequest("bench" + i, "127.0.0.1"), Serverless.Audit.AuditActions.CaseRead, created[0], null, false, CancellationToken.None));
        var bareInsert = await Measure.MedianMillisecondsAsync(5, Runs, async _ => await bare.RunOneAsync($"table POST {host.Prefix}AuditLog"));
        var serialize = await Measure.MedianMillisecondsAsync(5, Runs, _ => Task.FromResult(JsonSerializer.SerializeToUtf8Bytes(view, CaseJson.Options)));

        output.WriteLine($"create: API {apiCreate:F2} ms, bare tables {bareCreate:F2} ms; API ÷ bare throughput {bareCreate / apiCreate:F2} (target ≥ 0.9)");
        output.WriteLine($"read:   API {apiRead:F2} ms, bare tables {bareRead:F2} ms; API ÷ bare throughput {bareRead / apiRead:F2} (target ≥ 0.9)");
        output.WriteLine($"  an HTTP round trip through the host to a function that touches no storage: {hop:F2} ms");
        output.WriteLine($"  sign-in and audit alone at the storage floor (memberships, intent, then outcome): {signInAndAudit:F2} ms");
        output.WriteLine($"  where a read's time goes: token validation {validate:F3} ms; the case service with its one storage read {serviceRead:F2} ms (that read bare: {bareOneRead:F2} ms); serializing the answer {serialize:F3} ms");
        output.WriteLine($"    sign-in (the person's partition, read and mapped) {signInTime:F2} ms, the bare query of an empty partition {bareSignIn:F2} ms; an audit entry {intentTime:F2} ms, a bare insert of a one-property row {bareInsert:F2} ms");
    }
}

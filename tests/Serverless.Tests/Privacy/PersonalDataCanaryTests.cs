using System.Net;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using Serverless.DeadLetters;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Privacy;

[Collection(nameof(TelemetryCaptureCollection))]
public sealed class PersonalDataCanaryTests
{
    [Fact]
    public async Task PersonalDataSentToEveryFoundationEndpointReachesNoLogTelemetryKeyQueueOrBlob()
    {
        // Telemetry on, as in Azure: what Application Insights would be sent is looked into too (IdsOnlyTelemetry).
        await using var host = await TestHost.StartAsync(
            backgroundTriggers: true,
            hostSettings: settings =>
            {
                settings.MaxDequeueCount = 2;
                settings.VisibilityTimeout = TimeSpan.Zero;
            },
            telemetry: true);
        var canary = new PersonalDataCanary();

        // Callers that put personal data where it does not belong: the URL, the query, headers, bodies.
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, $"api/no-such-route/{Uri.EscapeDataString(canary.FamilyName)}?name={Uri.EscapeDataString(canary.KanaName)}")
            {
                Content = method == HttpMethod.Get ? null : new StringContent($"{{\"address\":\"{canary.Address}\",\"text\":\"{canary.ReportText}\"}}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Reporter-Name", Uri.EscapeDataString(canary.GivenName));
            var response = await host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"api/health?child={Uri.EscapeDataString(canary.FamilyName)}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync($"api/openapi.json?q={Uri.EscapeDataString(canary.ReportText)}")).StatusCode);

        // A producer bug that puts report text into a queue message: it fails, is poisoned, and is dead-lettered.
        var work = host.Storage.Queues.GetQueueClient(host.Names.Queue("health-probes"));
        await work.SendMessageAsync($"{{\"schemaVersion\":1,\"probeId\":\"{canary.ReportText}\"}}");
        var poison = host.Storage.Queues.GetQueueClient(host.Names.PoisonQueue("health-probes"));
        await TestHost.WaitUntilAsync(async () => (await poison.PeekMessagesAsync(1)).Value.Length == 1, TimeSpan.FromSeconds(30), "the bad message is poisoned");
        Assert.Equal(1, await host.Get<DeadLetterService>().SweepAsync(CancellationToken.None));

        Assert.Empty(await canary.FindLeaksAsync(host));
        Assert.Contains(host.Telemetry!.Items, item => item is Microsoft.ApplicationInsights.DataContracts.DependencyTelemetry); // the capture saw the run
    }

    [Fact]
    public async Task CanaryFindsPlantedDataInLogsTableKeysQueueMessagesBlobNamesAndMetadata()
    {
        await using var host = await TestHost.StartAsync();
        var canary = new PersonalDataCanary();

        host.Get<ILogger<PersonalDataCanaryTests>>().LogInformation("Child {Name} reported", canary.KanaName);
        var table = host.Storage.Tables.GetTableClient(host.Names.Table("HealthProbes"));
        await table.AddEntityAsync(new TableEntity("probe", canary.Marker));
        var queue = host.Storage.Queues.GetQueueClient(host.Names.Queue("health-probes"));
        await queue.SendMessageAsync($"{{\"name\":\"{canary.FamilyName}\"}}");
        var container = host.Storage.Blobs.GetBlobContainerClient(host.Names.Container("health"));
        await container.UploadBlobAsync($"{canary.GivenName}.txt", BinaryData.FromString("x"));
        var tagged = container.GetBlobClient("opaque-id");
        await tagged.UploadAsync(BinaryData.FromString("x"));
        await tagged.SetMetadataAsync(new Dictionary<string, string> { ["reporter"] = canary.Marker });

        var leaks = await canary.FindLeaksAsync(host);

        Assert.Contains(leaks, leak => leak.StartsWith("log ", StringComparison.Ordinal));
        Assert.Contains(leaks, leak => leak.StartsWith("table key ", StringComparison.Ordinal));
        Assert.Contains(leaks, leak => leak.StartsWith("queue message ", StringComparison.Ordinal));
        Assert.Contains(leaks, leak => leak.StartsWith($"blob {container.Name}/{canary.GivenName}", StringComparison.Ordinal));
        Assert.Contains(leaks, leak => leak == $"blob {container.Name}/opaque-id");
        Assert.Equal(5, leaks.Count);
    }

    [Fact]
    public async Task CanaryFindsPlantedDataInABlobIndexTagOfTheFilesContainers()
    {
        await using var host = await TestHost.StartAsync();
        var canary = new PersonalDataCanary();
        var files = host.Storage.Blobs.GetBlobContainerClient(host.Names.Container(Serverless.Files.Storage.FileBlobs.Files));
        var tagged = files.GetBlobClient("cases/c0000000000000000000000000/a0000000000000000000000000");
        await tagged.UploadAsync(BinaryData.FromString("x"));
        await tagged.SetTagsAsync(new Dictionary<string, string> { ["child"] = canary.Marker });
        var quarantine = host.Storage.Blobs.GetBlobContainerClient(host.Names.Container(Serverless.Files.Storage.FileBlobs.Quarantine));
        var keyed = quarantine.GetBlobClient("cases/c0000000000000000000000000/a1111111111111111111111111");
        await keyed.UploadAsync(BinaryData.FromString("x"));
        await keyed.SetTagsAsync(new Dictionary<string, string> { [canary.Marker] = "1" });

        var leaks = await canary.FindLeaksAsync(host);

        Assert.Equal([$"blob tag {files.Name}/{tagged.Name}", $"blob tag {quarantine.Name}/{keyed.Name}"], leaks.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CanaryReadsPlainTextQueueMessagesToo()
    {
        await using var host = await TestHost.StartAsync();
        var canary = new PersonalDataCanary();
        var plain = new QueueClient(TestStorage.ConnectionString, host.Names.Queue("health-probes"));
        await plain.SendMessageAsync(canary.Address);

        Assert.Single(await canary.FindLeaksAsync(host));
    }
}

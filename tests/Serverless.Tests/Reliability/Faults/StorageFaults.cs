using System.Net;
using Serverless.Tests.Infrastructure;

namespace Serverless.Tests.Reliability.Faults;

/// <summary>
/// Three <see cref="FaultProxy"/>s, one before each of the test Azurite's services, and the connection string that sends
/// the app's storage clients through them (given to the host as <c>Storage:ConnectionString</c>). The test's own checks
/// read Azurite directly (<see cref="TestStorage.Clients"/>), so they see what storage holds, not what the proxy let by.
/// </summary>
public sealed class StorageFaults : IAsyncDisposable
{
    /// <summary>Azurite's one well-known account key (public, the same on every machine).</summary>
    private const string EmulatorKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private StorageFaults(FaultProxy blob, FaultProxy queue, FaultProxy table)
    {
        Blob = blob;
        Queue = queue;
        Table = table;
    }

    public FaultProxy Blob { get; }

    public FaultProxy Queue { get; }

    public FaultProxy Table { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={EmulatorKey};"
        + $"BlobEndpoint=http://127.0.0.1:{Blob.Port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{Queue.Port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{Table.Port}/devstoreaccount1";

    /// <summary>The host's settings that put its storage clients behind the proxies.</summary>
    public IReadOnlyDictionary<string, string> HostSettings => new Dictionary<string, string> { ["Storage:ConnectionString"] = ConnectionString };

    public static StorageFaults Start()
    {
        var endpoints = Endpoints(TestStorage.ConnectionString);
        return new StorageFaults(
            new FaultProxy("blob", endpoints["BlobEndpoint"]),
            new FaultProxy("queue", endpoints["QueueEndpoint"]),
            new FaultProxy("table", endpoints["TableEndpoint"]));
    }

    /// <summary>Everything the three proxies did, for the test's output.</summary>
    public string Report()
        => string.Join(Environment.NewLine, new[] { Blob, Queue, Table }.Select(proxy => $"{proxy.Name}: {proxy.Requests.Count} requests on {proxy.Connections} connections")
            .Concat(new[] { Blob, Queue, Table }.SelectMany(proxy => proxy.Log).Where(line => !line.EndsWith(": 200", StringComparison.Ordinal) && !line.EndsWith(": 201", StringComparison.Ordinal) && !line.EndsWith(": 204", StringComparison.Ordinal) && !line.EndsWith(": 202", StringComparison.Ordinal) && !line.EndsWith(": 206", StringComparison.Ordinal))));

    private static Dictionary<string, IPEndPoint> Endpoints(string connectionString)
    {
        var pairs = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (pairs.TryGetValue("UseDevelopmentStorage", out _))
        {
            return new Dictionary<string, IPEndPoint>
            {
                ["BlobEndpoint"] = new(IPAddress.Loopback, 10000),
                ["QueueEndpoint"] = new(IPAddress.Loopback, 10001),
                ["TableEndpoint"] = new(IPAddress.Loopback, 10002),
            };
        }

        Assert.Equal(EmulatorKey, pairs["AccountKey"]);
        return new[] { "BlobEndpoint", "QueueEndpoint", "TableEndpoint" }.ToDictionary(
            name => name,
            name =>
            {
                var uri = new Uri(pairs[name]);
                return new IPEndPoint(IPAddress.Parse(uri.Host == "localhost" ? "127.0.0.1" : uri.Host), uri.Port);
            });
    }

    public async ValueTask DisposeAsync()
    {
        await Blob.DisposeAsync();
        await Queue.DisposeAsync();
        await Table.DisposeAsync();
    }
}

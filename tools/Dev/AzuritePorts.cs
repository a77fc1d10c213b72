using System.Globalization;

namespace Serverless.Dev;

/// <summary>The three ports an Azurite instance listens on, and the connection string that reaches them.</summary>
internal sealed record AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>Azurite's defaults, which <c>UseDevelopmentStorage=true</c> points to.</summary>
    public static AzuritePorts Default { get; } = new(10000, 10001, 10002);

    // The emulator's well-known account and key, published in Azurite's documentation: not a secret.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public IReadOnlyList<int> All => [Blob, Queue, Table];

    /// <summary>Three free loopback ports, so a throwaway Azurite never collides with one a developer runs.</summary>
    public static AzuritePorts FindFree()
    {
        var ports = TcpPorts.FindFree(3);
        return new AzuritePorts(ports[0], ports[1], ports[2]);
    }

    /// <summary>A full connection string: <c>UseDevelopmentStorage=true</c> only reaches the default ports.</summary>
    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};"
        + $"BlobEndpoint=http://127.0.0.1:{Blob}/{AccountName};"
        + $"QueueEndpoint=http://127.0.0.1:{Queue}/{AccountName};"
        + $"TableEndpoint=http://127.0.0.1:{Table}/{AccountName};");

    /// <summary>The account's blob service over <paramref name="scheme"/> (https when Azurite was given a certificate).</summary>
    public Uri BlobEndpoint(string scheme) => new(string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{Blob}/{AccountName}"));

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"127.0.0.1 blob {Blob}, queue {Queue}, table {Table}");
}

using System.Net;
using System.Net.Sockets;

namespace Serverless.Dev;

/// <summary>Loopback TCP ports: which are free, which accept connections.</summary>
internal static class TcpPorts
{
    /// <summary>
    /// Lets the OS choose free ports by binding port 0. All listeners stay open until every port is chosen, so the
    /// ports differ. Another process could take one before it is used again: callers retry when that happens.
    /// </summary>
    public static int[] FindFree(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return [.. listeners.Select(listener => ((IPEndPoint)listener.LocalEndpoint).Port)];
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    public static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        // A short timeout: on Windows a refused loopback connection is retried for about two seconds.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Which of the ports accept connections, checked in parallel.</summary>
    public static async Task<int[]> ListeningAsync(IEnumerable<int> ports, CancellationToken cancellationToken)
    {
        var checks = ports.Select(async port => (port, listening: await AcceptsConnectionsAsync(port, cancellationToken)));
        var results = await Task.WhenAll(checks);
        return [.. results.Where(result => result.listening).Select(result => result.port)];
    }
}

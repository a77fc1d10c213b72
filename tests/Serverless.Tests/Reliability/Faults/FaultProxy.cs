using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Serverless.Tests.Reliability.Faults;

/// <summary>What the proxy does to one request.</summary>
public enum Fault
{
    /// <summary>Forward the request and its answer.</summary>
    Pass,

    /// <summary>Wait <see cref="FaultRule.DelayMs"/>, then pass.</summary>
    Delay,

    /// <summary>Close the client's connection without forwarding anything: storage never saw the request.</summary>
    Drop,

    /// <summary>Reset the client's connection (RST: linger on, timeout zero) without forwarding: storage never saw it.</summary>
    Reset,

    /// <summary>The ambiguous write: forward the request whole, read storage's whole answer, then close the client's
    /// connection without sending it. Storage did it; the caller cannot know.</summary>
    CutAfterForwarding,

    /// <summary>The crash between two steps: run <see cref="FaultRule.Kill"/> (the app's process dies), then close the
    /// connection without forwarding. Storage never saw the request.</summary>
    KillBeforeForwarding,

    /// <summary>The crash after a step: forward the request, read storage's whole answer, run <see cref="FaultRule.Kill"/>,
    /// then close the connection. Storage did it; the app died before it knew.</summary>
    KillAfterAnswer,
}

/// <summary>One request as the proxy saw it: its request line, which connection and which request on it.</summary>
public sealed record ProxiedRequest(int Index, int Connection, int OnConnection, string Method, string Target, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The path without the query, percent-decoded (table names, row keys, blob names).</summary>
    public string Path => Uri.UnescapeDataString(Target.Split('?', 2)[0]);

    public override string ToString() => $"#{Index} (connection {Connection}, request {OnConnection}) {Method} {Target}";
}

/// <summary>A fault for the requests that match, at most <see cref="Times"/> of them.</summary>
public sealed class FaultRule(string name, Func<ProxiedRequest, bool> matches, Fault fault, int times = 1, int delayMs = 0)
{
    private int left = times;

    public string Name { get; } = name;

    public Fault Fault { get; } = fault;

    public int DelayMs { get; } = delayMs;

    public int Times { get; } = times;

    /// <summary>What <see cref="Fault.KillBeforeForwarding"/> and <see cref="Fault.KillAfterAnswer"/> run: kills the app's
    /// process and returns once it has exited.</summary>
    public Action? Kill { get; init; }

    /// <summary>How many requests it has been applied to. (Requests matching side by side can take <c>left</c> below zero:
    /// those were refused, so they do not count.)</summary>
    public int Applied => Times - Math.Max(0, Volatile.Read(ref left));

    internal bool TryTake(ProxiedRequest request)
    {
        if (Volatile.Read(ref left) <= 0 || !matches(request))
        {
            return false;
        }

        return Interlocked.Decrement(ref left) >= 0;
    }
}

/// <summary>
/// A TCP proxy between the app's storage clients and one Azurite service (blob, queue or table), on a free loopback
/// port. It reads HTTP/1.1 well enough to know where each request and answer ends (Content-Length or chunked; an
/// answer to HEAD, a 1xx, 204 or 304 has no body), so it counts the requests on each kept-alive connection and applies
/// a fault to exactly the requests a rule's predicate picks. Everything it did is in <see cref="Log"/>.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint upstream;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<FaultRule> rules = new();
    private readonly ConcurrentQueue<string> log = new();
    private readonly ConcurrentQueue<ProxiedRequest> requests = new();
    private readonly List<Task> connections = [];
    private readonly Task accepting;
    private int connectionCount;
    private int requestCount;

    public FaultProxy(string name, IPEndPoint upstream)
    {
        Name = name;
        this.upstream = upstream;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        accepting = AcceptAsync();
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>Every request seen, in arrival order.</summary>
    public IReadOnlyList<ProxiedRequest> Requests => [.. requests];

    /// <summary>One line per request: what it was, what the proxy did, what storage answered.</summary>
    public IReadOnlyList<string> Log => [.. log];

    public int Connections => Volatile.Read(ref connectionCount);

    public FaultRule Add(FaultRule rule)
    {
        rules.Enqueue(rule);
        return rule;
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            var id = Interlocked.Increment(ref connectionCount);
            lock (connections)
            {
                connections.Add(ServeAsync(client, id));
            }
        }
    }

    private async Task ServeAsync(TcpClient client, int connection)
    {
        client.NoDelay = true;
        using var upstreamClient = new TcpClient { NoDelay = true };
        var closedByFault = false;
        try
        {
            await upstreamClient.ConnectAsync(upstream, stopping.Token);
            var fromClient = new HttpReader(client.GetStream());
            var toClient = client.GetStream();
            var fromUpstream = new HttpReader(upstreamClient.GetStream());
            var toUpstream = upstreamClient.GetStream();
            for (var onConnection = 1; !stopping.IsCancellationRequested; onConnection++)
            {
                var head = await fromClient.ReadHeadAsync(stopping.Token);
                if (head is null)
                {
                    return; // the client closed its kept-alive connection
                }

                var (line, headers) = Parse(head);
                var parts = line.Split(' ');
                var request = new ProxiedRequest(Interlocked.Increment(ref requestCount), connection, onConnection, parts[0], parts.Length > 1 ? parts[1] : "", headers);
                requests.Enqueue(request);
                if (headers.TryGetValue("expect", out var expect) && expect.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                {
                    await toClient.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray(), stopping.Token);
                    head = RemoveHeader(head, "Expect");
                }

                var body = await fromClient.ReadBodyAsync(headers, stopping.Token);
                var rule = rules.FirstOrDefault(candidate => candidate.TryTake(request));
                var fault = rule?.Fault ?? Fault.Pass;
                switch (fault)
                {
                    case Fault.Drop:
                        log.Enqueue($"{Name} {request}: DROPPED (not forwarded) by rule '{rule!.Name}'");
                        closedByFault = true;
                        client.Close();
                        return;
                    case Fault.Reset:
                        log.Enqueue($"{Name} {request}: RESET (not forwarded) by rule '{rule!.Name}'");
                        closedByFault = true;
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Close();
                        return;
                    case Fault.Delay:
                        await Task.Delay(rule!.DelayMs, stopping.Token);
                        break;
                    case Fault.KillBeforeForwarding:
                        rule!.Kill?.Invoke();
                        log.Enqueue($"{Name} {request}: KILLED the app before forwarding by rule '{rule.Name}'");
                        closedByFault = true;
                        client.Close();
                        return;
                }

                await toUpstream.WriteAsync(head, stopping.Token);
                await toUpstream.WriteAsync(body, stopping.Token);
                await toUpstream.FlushAsync(stopping.Token);

                byte[] responseHead;
                Dictionary<string, string> responseHeaders;
                string status;
                using var answer = new MemoryStream();
                do
                {
                    responseHead = await fromUpstream.ReadHeadAsync(stopping.Token) ?? throw new IOException("Azurite closed the connection before answering.");
                    (status, responseHeaders) = Parse(responseHead);
                    answer.Write(responseHead);
                }
                while (StatusCode(status) is >= 100 and < 200);

                var code = StatusCode(status);
                var responseBody = request.Method == "HEAD" || code is 204 or 304
                    ? []
                    : await fromUpstream.ReadBodyAsync(responseHeaders, stopping.Token, untilClosedWhenUnsized: true);
                answer.Write(responseBody);

                if (fault == Fault.KillAfterAnswer)
                {
                    rule!.Kill?.Invoke();
                    log.Enqueue($"{Name} {request}: KILLED the app after storage answered {code} by rule '{rule.Name}'");
                    closedByFault = true;
                    client.Close();
                    return;
                }

                if (fault == Fault.CutAfterForwarding)
                {
                    log.Enqueue($"{Name} {request}: CUT after forwarding by rule '{rule!.Name}': storage answered {code}, the client got nothing");
                    closedByFault = true;
                    client.Close();
                    return;
                }

                log.Enqueue($"{Name} {request}: {(fault == Fault.Delay ? $"delayed {rule!.DelayMs} ms by rule '{rule.Name}', " : "")}{code}");
                await toClient.WriteAsync(answer.ToArray(), stopping.Token);
                await toClient.FlushAsync(stopping.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (!closedByFault && !stopping.IsCancellationRequested)
            {
                log.Enqueue($"{Name} connection {connection} ended: {ex.GetType().Name}");
            }
        }
        finally
        {
            client.Dispose();
        }
    }

    private static int StatusCode(string statusLine) => int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);

    private static (string Line, Dictionary<string, string> Headers) Parse(byte[] head)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in lines.Skip(1).Where(line => line.Length > 0))
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            headers[header[..colon].Trim()] = header[(colon + 1)..].Trim();
        }

        return (lines[0], headers);
    }

    private static byte[] RemoveHeader(byte[] head, string name)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n").Where(line => !line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase));
        return Encoding.Latin1.GetBytes(string.Join("\r\n", lines));
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        Task[] open;
        lock (connections)
        {
            open = [.. connections];
        }

        await Task.WhenAll(open);
        stopping.Dispose();
    }

    /// <summary>Reads one HTTP/1.1 message at a time from a stream, keeping what it read past the message for the next.</summary>
    private sealed class HttpReader(Stream stream)
    {
        private byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;

        /// <summary>The start line and headers up to and with the blank line, or null when the stream ended between messages.</summary>
        public async Task<byte[]?> ReadHeadAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var at = buffer.AsSpan(start, end - start).IndexOf("\r\n\r\n"u8);
                if (at >= 0)
                {
                    return Take(at + 4);
                }

                if (!await FillAsync(cancellationToken))
                {
                    return end == start ? null : throw new IOException("The stream ended inside a message head.");
                }
            }
        }

        public async Task<byte[]> ReadBodyAsync(IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken, bool untilClosedWhenUnsized = false)
        {
            if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
            {
                using var chunks = new MemoryStream();
                while (true)
                {
                    var sizeLine = await ReadLineAsync(cancellationToken);
                    chunks.Write(sizeLine);
                    var size = Convert.ToInt32(Encoding.ASCII.GetString(sizeLine).Split(';')[0].Trim(), 16);
                    if (size == 0)
                    {
                        // trailers, then the blank line
                        while (true)
                        {
                            var trailer = await ReadLineAsync(cancellationToken);
                            chunks.Write(trailer);
                            if (trailer.Length == 2)
                            {
                                return chunks.ToArray();
                            }
                        }
                    }

                    chunks.Write(await ReadExactAsync(size + 2, cancellationToken));
                }
            }

            if (headers.TryGetValue("content-length", out var length))
            {
                return await ReadExactAsync(int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            }

            if (!untilClosedWhenUnsized)
            {
                return []; // a request without either has no body
            }

            while (await FillAsync(cancellationToken))
            {
            }

            return Take(end - start);
        }

        private async Task<byte[]> ReadLineAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var at = buffer.AsSpan(start, end - start).IndexOf("\r\n"u8);
                if (at >= 0)
                {
                    return Take(at + 2);
                }

                if (!await FillAsync(cancellationToken))
                {
                    throw new IOException("The stream ended inside a chunk size line.");
                }
            }
        }

        private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
        {
            while (end - start < count)
            {
                if (!await FillAsync(cancellationToken))
                {
                    throw new IOException("The stream ended inside a message body.");
                }
            }

            return Take(count);
        }

        private byte[] Take(int count)
        {
            var taken = buffer.AsSpan(start, count).ToArray();
            start += count;
            return taken;
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken);
            end += read;
            return read > 0;
        }
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Server.Tests.Proxy;

/// <summary>
/// A real loopback HTTP upstream with scripted answers: it reads each request (head, then a Content-Length or chunked
/// body, decoded), records it, and does what <see cref="Respond"/> says — send bytes, reset, hang or close. Connections
/// are kept open after a response unless the script closes them, so keepalive reuse is visible in <see cref="Connections"/>.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private int _connections;

    public FakeUpstream(Func<SeenRequest, Answer> respond)
    {
        Respond = respond;
        _listener.Start();
        _ = AcceptLoop();
    }

    public Func<SeenRequest, Answer> Respond { get; set; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Address => "127.0.0.1:" + Port;

    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    public int Connections => _connections;

    public SeenRequest Last => Seen.Last();

    /// <summary>An answer: raw bytes to send (then close or keep), or a fault.</summary>
    public sealed record Answer(byte[] Bytes, bool Close = false, bool Reset = false, bool Hang = false, bool ResetAfterBytes = false)
    {
        /// <summary>Send the first this many bytes, pause, then the rest (a split the proxy must survive).</summary>
        public int SplitAt { get; init; }

        public static Answer Ok(string body, string extraHeaders = "", int status = 200, string reason = "OK") =>
            new(Encoding.Latin1.GetBytes($"HTTP/1.1 {status} {reason}\r\nContent-Length: {Encoding.Latin1.GetByteCount(body)}\r\n{extraHeaders}\r\n{body}"));

        public static Answer Raw(string text, bool close = true) => new(Encoding.Latin1.GetBytes(text), Close: close);
    }

    private async Task AcceptLoop()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                lock (_sockets)
                {
                    _sockets.Add(socket);
                }

                _ = Serve(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task Serve(Socket socket)
    {
        var stream = new NetworkStream(socket, ownsSocket: true);
        var buffer = new List<byte>();
        var chunk = new byte[65536];
        try
        {
            while (true)
            {
                // Head.
                int end;
                while ((end = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
                {
                    var n = await stream.ReadAsync(chunk, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }

                    buffer.AddRange(chunk.AsSpan(0, n));
                }

                var head = Encoding.Latin1.GetString(buffer.GetRange(0, end).ToArray());
                buffer.RemoveRange(0, end + 4);
                var lines = head.Split("\r\n");
                var headers = lines.Skip(1).Select(l => (l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..].Trim())).ToList();
                var length = headers.Where(h => h.Item1.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => long.Parse(h.Item2)).FirstOrDefault();
                var chunked = headers.Any(h => h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
                var body = new MemoryStream();
                if (chunked)
                {
                    while (true)
                    {
                        int lineEnd;
                        while ((lineEnd = IndexOf(buffer, "\r\n"u8.ToArray())) < 0)
                        {
                            buffer.AddRange(chunk.AsSpan(0, await Read(stream, chunk)));
                        }

                        var size = Convert.ToInt64(Encoding.Latin1.GetString(buffer.GetRange(0, lineEnd).ToArray()).Split(';')[0], 16);
                        buffer.RemoveRange(0, lineEnd + 2);
                        while (buffer.Count < size + 2)
                        {
                            buffer.AddRange(chunk.AsSpan(0, await Read(stream, chunk)));
                        }

                        body.Write(buffer.GetRange(0, (int)size).ToArray());
                        buffer.RemoveRange(0, (int)size + 2);
                        if (size == 0)
                        {
                            break;
                        }
                    }
                }
                else
                {
                    while (buffer.Count < length)
                    {
                        buffer.AddRange(chunk.AsSpan(0, await Read(stream, chunk)));
                    }

                    body.Write(buffer.GetRange(0, (int)length).ToArray());
                    buffer.RemoveRange(0, (int)length);
                }

                var seen = new SeenRequest(lines[0], headers, body.ToArray(), Volatile.Read(ref _connections));
                Seen.Enqueue(seen);
                var answer = Respond(seen);
                if (answer.Hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                if (answer.Reset)
                {
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    return;
                }

                if (answer.SplitAt > 0)
                {
                    await stream.WriteAsync(answer.Bytes.AsMemory(0, answer.SplitAt), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    await Task.Delay(150, _stop.Token);
                    await stream.WriteAsync(answer.Bytes.AsMemory(answer.SplitAt), _stop.Token);
                }
                else
                {
                    await stream.WriteAsync(answer.Bytes, _stop.Token);
                }

                if (answer.ResetAfterBytes)
                {
                    await Task.Delay(100);
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    return;
                }

                if (answer.Close)
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private static async Task<int> Read(NetworkStream stream, byte[] chunk)
    {
        var n = await stream.ReadAsync(chunk);
        return n == 0 ? throw new IOException("closed") : n;
    }

    private static int IndexOf(List<byte> buffer, byte[] pattern)
    {
        for (var i = 0; i + pattern.Length <= buffer.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = buffer[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var s in _sockets)
            {
                s.Dispose();
            }
        }
    }
}

/// <summary>A request as the upstream received it.</summary>
internal sealed record SeenRequest(string RequestLine, List<(string Name, string Value)> Headers, byte[] Body, int Connection)
{
    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    public string Target => RequestLine.Split(' ')[1];
}

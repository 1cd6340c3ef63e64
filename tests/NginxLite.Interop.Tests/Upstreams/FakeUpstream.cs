using System.Buffers;
using Xunit;
using System.Net.Sockets;
using NginxLite.TestSupport;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>How a <see cref="FakeUpstream"/> misbehaves on every connection.</summary>
public enum Fault
{
    /// <summary>Reads the request, then closes with it unread: the peer sees a reset before any header.</summary>
    ResetBeforeHeaders,

    /// <summary>Answers with bytes that are no FastCGI record (an HTTP response) and closes.</summary>
    Garbage,

    /// <summary>Reads the request and never answers.</summary>
    Hang,

    /// <summary>Closes right after reading, without a byte of response.</summary>
    CloseBeforeHeaders,

    /// <summary>Sends a 10 KiB header line (FastCGI STDOUT, or raw for uwsgi) and keeps the connection open.</summary>
    TooBigHeader,

    /// <summary>Sends a head announcing 100,000 bytes and 1,000 of them, then resets (the leak test's mid-body fault).</summary>
    ResetMidBody,
}

/// <summary>A real Unix-socket server that misbehaves (fault tests): one accept loop, stopped on dispose.</summary>
public sealed class FakeUpstream : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly HashSet<Socket> _open = [];
    private readonly TimeSpan _pause;

    /// <param name="pause">How long to wait after the first read before misbehaving (the rest of the request arrives,
    /// unread); the leak test makes it short to send many requests.</param>
    public FakeUpstream(TempDir dir, string name, Fault fault, bool fastCgi, TimeSpan? pause = null)
    {
        _pause = pause ?? TimeSpan.FromMilliseconds(100);
        Socket = Path.Combine(dir.Path, name);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(Socket));
        File.SetUnixFileMode(Socket, (UnixFileMode)0x1ff);
        _listener.Listen(1024);
        _ = AcceptLoopAsync(fault, fastCgi);
    }

    public string Socket { get; }

    private Task AcceptLoopAsync(Fault fault, bool fastCgi) =>
        AcceptLoop.RunAsync(
            _listener.AcceptAsync,
            client =>
            {
                lock (_open)
                {
                    _open.Add(client);
                }

                _ = ServeAsync(client, fault, fastCgi);
            },
            _stop.Token);

    private async Task ServeAsync(Socket client, Fault fault, bool fastCgi)
    {
        try
        {
            var buffer = new byte[65536];
            await client.ReceiveAsync(buffer, _stop.Token);
            await Task.Delay(_pause, _stop.Token); // the rest of the request arrives, unread
            switch (fault)
            {
                case Fault.ResetBeforeHeaders:
                    client.LingerState = new LingerOption(true, 0);
                    client.Close();
                    break;
                case Fault.Garbage:
                    await client.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"u8.ToArray(), _stop.Token);
                    client.Shutdown(SocketShutdown.Send);
                    break;
                case Fault.CloseBeforeHeaders:
                    client.Shutdown(SocketShutdown.Send);
                    break;
                case Fault.TooBigHeader:
                    var line = "X-Big: " + new string('b', 10 * 1024) + "\r\n";
                    var head = System.Text.Encoding.ASCII.GetBytes((fastCgi ? "" : "HTTP/1.1 200 OK\r\n") + line);
                    await client.SendAsync(fastCgi ? StdoutRecords(head) : head, _stop.Token);
                    break;
                case Fault.Hang:
                    break;
                case Fault.ResetMidBody:
                    var start = System.Text.Encoding.ASCII.GetBytes((fastCgi ? "" : "HTTP/1.1 200 OK\r\n") + "Content-Type: text/plain\r\nContent-Length: 100000\r\n\r\n" + new string('m', 1000));
                    await client.SendAsync(fastCgi ? StdoutRecords(start) : start, _stop.Token);
                    await Task.Delay(_pause, _stop.Token);
                    client.LingerState = new LingerOption(true, 0);
                    client.Close();
                    break;
            }

            // Hold the connection until the peer closes it (it reads the response, or times out), then let it go:
            // a server that answers thousands of requests must not keep every socket.
            while (await client.ReceiveAsync(buffer, _stop.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped, or the peer went away.
        }
        finally
        {
            lock (_open)
            {
                if (_open.Remove(client))
                {
                    client.Dispose();
                }
            }
        }
    }

    private static byte[] StdoutRecords(byte[] content)
    {
        var w = new System.Buffers.ArrayBufferWriter<byte>();
        for (var at = 0; at < content.Length; at += 65528)
        {
            var n = Math.Min(65528, content.Length - at);
            var padding = (8 - (n & 7)) & 7;
            w.Write<byte>([1, 6, 0, 1, (byte)(n >> 8), (byte)n, (byte)padding, 0]);
            w.Write<byte>(content.AsSpan(at, n));
            w.Write<byte>(new byte[padding]);
        }

        return w.WrittenSpan.ToArray();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_open)
        {
            foreach (var s in _open)
            {
                s.Dispose();
            }
        }
    }
}

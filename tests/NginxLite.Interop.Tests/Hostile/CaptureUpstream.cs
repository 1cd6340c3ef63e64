using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Interop.Tests.Hostile;

/// <summary>
/// A real upstream socket server that records every byte each connection sends. It answers once the peer has been
/// quiet for a moment (so a request and whatever body or trailing bytes came with it are all recorded), with a fixed
/// HTTP/1.1 response (valid for proxy_pass, and for uwsgi_pass whose responses start with a status line), then closes.
/// </summary>
public sealed class CaptureUpstream : IDisposable
{
    private static readonly byte[] Response = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\ncaptured\n");

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<byte[]> _connections = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public CaptureUpstream()
    {
        _listener.Start(512);
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accept = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    /// <summary>The bytes of each finished connection since the last <see cref="Take"/>.</summary>
    public IReadOnlyList<byte[]> Take()
    {
        var taken = new List<byte[]>();
        while (_connections.TryDequeue(out var bytes))
        {
            taken.Add(bytes);
        }

        return taken;
    }

    private Task AcceptLoop() =>
        NginxLite.TestSupport.AcceptLoop.RunAsync(_listener.AcceptSocketAsync, socket => _ = Task.Run(() => Serve(socket)), _stop.Token);

    private async Task Serve(Socket socket)
    {
        using var _ = socket;
        var all = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                using var quiet = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                // A chunked body still streaming (proxy_request_buffering off) is waited for, as a real upstream
                // reads the whole request before it answers; anything else is done after 300 ms of quiet.
                quiet.CancelAfter(all.Length == 0 || StreamingChunked(all) ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(300));
                int n;
                try
                {
                    n = await socket.ReceiveAsync(buffer, quiet.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (n == 0)
                {
                    break;
                }

                all.Write(buffer, 0, n);
            }

            _connections.Enqueue(all.ToArray());
            await socket.SendAsync(Response);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            _connections.Enqueue(all.ToArray());
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accept.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private static bool StreamingChunked(MemoryStream all)
    {
        var bytes = all.GetBuffer().AsSpan(0, (int)all.Length);
        return bytes.IndexOf("Transfer-Encoding: chunked\r\n"u8) >= 0 && !bytes.EndsWith("0\r\n\r\n"u8);
    }
}

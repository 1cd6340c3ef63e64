using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NginxLite.Interop.Tests.Upstreams;

/// <summary>A loopback socket server that misbehaves after reading a request head: resets, sends garbage, hangs, or
/// resets in the middle of a body. The fault tests' "real socket server".</summary>
public sealed class FaultUpstream : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Fault _fault;
    private readonly TimeSpan _pause;

    public enum Fault
    {
        ResetBeforeHeaders,
        Garbage,
        Hang,
        ResetMidBody,
        TooBigHeader,
    }

    /// <param name="pause">How long the mid-body fault waits before its reset (short in the leak test).</param>
    public FaultUpstream(Fault fault, TimeSpan? pause = null)
    {
        _fault = fault;
        _pause = pause ?? TimeSpan.FromMilliseconds(200);
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    private Task AcceptLoop() =>
        NginxLite.TestSupport.AcceptLoop.RunAsync(_listener.AcceptSocketAsync, socket => _ = Task.Run(() => Serve(socket)), _stop.Token);

    private async Task Serve(Socket socket)
    {
        try
        {
            var buffer = new byte[65536];
            var head = new StringBuilder();
            while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                head.Append(Encoding.Latin1.GetString(buffer, 0, n));
            }

            switch (_fault)
            {
                case Fault.ResetBeforeHeaders:
                    socket.LingerState = new LingerOption(true, 0);
                    break;
                case Fault.Garbage:
                    await socket.SendAsync("HTTP/1.1 200 OK\r\nX\u0000Bad: 1\r\nContent-Length: 3\r\n\r\nxyz"u8.ToArray(), SocketFlags.None);
                    break;
                case Fault.TooBigHeader:
                    await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nX-Big: " + new string('b', 16000) + "\r\nContent-Length: 0\r\n\r\n"), SocketFlags.None);
                    break;
                case Fault.Hang:
                    // Until the peer gives up (its read timeout) and closes, then the socket is freed.
                    while (await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
                    {
                    }

                    break;
                case Fault.ResetMidBody:
                    await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nContent-Type: text/plain\r\n\r\n" + new string('m', 1000)), SocketFlags.None);
                    await Task.Delay(_pause);
                    socket.LingerState = new LingerOption(true, 0);
                    break;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}

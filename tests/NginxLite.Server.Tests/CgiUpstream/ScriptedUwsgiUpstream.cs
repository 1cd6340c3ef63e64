using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NginxLite.TestSupport;

namespace NginxLite.Server.Tests.CgiUpstream;

/// <summary>
/// A real loopback uwsgi server with a scripted answer: it reads one uwsgi packet (4-byte header, then the vars) and
/// CONTENT_LENGTH body bytes, counts the request, sends <see cref="Respond"/>'s raw HTTP response and closes, as a
/// uWSGI worker does.
/// </summary>
internal sealed class ScriptedUwsgiUpstream : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _requests;

    public ScriptedUwsgiUpstream(Func<Dictionary<string, string>, string> respond)
    {
        Respond = respond;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public Func<Dictionary<string, string>, string> Respond { get; }

    public string Address => "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Requests read whole (packet and body) so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>A response of <paramref name="status"/> with a Content-Length body.</summary>
    public static string Http(int status, string body) =>
        $"HTTP/1.1 {status} Whatever\r\nContent-Type: text/plain\r\nContent-Length: {Encoding.Latin1.GetByteCount(body)}\r\n\r\n{body}";

    private Task AcceptLoopAsync() =>
        AcceptLoop.RunAsync(_listener.AcceptSocketAsync, socket => _ = ServeAsync(socket), _stop.Token);

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                var header = await ReadAsync(socket, 4);
                var vars = ParseVars(await ReadAsync(socket, BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(1))));
                var length = int.TryParse(vars.GetValueOrDefault("CONTENT_LENGTH"), out var n) ? n : 0;
                await ReadAsync(socket, length);
                Interlocked.Increment(ref _requests);
                await socket.SendAsync(Encoding.Latin1.GetBytes(Respond(vars)), _stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
                // The client went away, or the server stops.
            }
        }
    }

    private async Task<byte[]> ReadAsync(Socket socket, int count)
    {
        var buffer = new byte[count];
        for (var at = 0; at < count;)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(at), _stop.Token);
            at += n > 0 ? n : throw new IOException("closed");
        }

        return buffer;
    }

    private static Dictionary<string, string> ParseVars(byte[] data)
    {
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var at = 0; at < data.Length;)
        {
            var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at));
            var key = Encoding.Latin1.GetString(data, at + 2, keyLength);
            at += 2 + keyLength;
            var valueLength = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at));
            vars[key] = Encoding.Latin1.GetString(data, at + 2, valueLength);
            at += 2 + valueLength;
        }

        return vars;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _stop.Dispose();
    }
}

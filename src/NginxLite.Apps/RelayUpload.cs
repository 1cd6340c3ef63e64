using System.Net.Sockets;

namespace NginxLite.Apps;

/// <summary>
/// The client-to-worker half of one request on an app's public socket (<see cref="AppSocketRelay"/>): copies what the
/// client sends to the worker connection until the client half-closes. When the connection is a kept one (app_pass
/// left it open), the first <see cref="ReplayLimit"/> bytes are kept too: if that worker went meanwhile and answers
/// nothing, <see cref="SwitchAsync"/> sends them again on a fresh connection and the copy goes on there — the one retry
/// app_pass has for a stale kept connection, as nginx retries a cached upstream connection. A longer request is not
/// kept and not retried (nginx cannot resend an unbuffered body either).
/// </summary>
internal sealed class RelayUpload
{
    public const int ReplayLimit = 64 * 1024;

    private static readonly TimeSpan LingeringTime = TimeSpan.FromSeconds(30);

    private readonly Socket _client;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private MemoryStream? _replay;
    private Socket _to;
    private bool _ended;
    private int _headSeen;
    private int _sizeLow;
    private int _varsSize = -1;

    public RelayUpload(Socket client, Socket to, bool keep)
    {
        _client = client;
        _to = to;
        _replay = keep ? new MemoryStream() : null;
        Completion = RunAsync();
    }

    /// <summary>Ends when the client half-closes or goes (or the copy fails for good).</summary>
    public Task Completion { get; }

    /// <summary>The size of the request's uwsgi vars block, from its packet header (modifier1 u8, datasize u16le,
    /// modifier2 u8: the uwsgi protocol), once the client has sent it; -1 before.</summary>
    public int VarsSize => Volatile.Read(ref _varsSize);

    /// <summary>Whether the bytes sent so far are all kept, so the request can be sent again.</summary>
    public bool CanReplay => Volatile.Read(ref _replay) is not null;

    /// <summary>The worker connection failed before any response byte: sends what the client sent so far on
    /// <paramref name="fresh"/> and copies the rest there. The caller has disposed the old connection first (a send
    /// blocked on it fails and lets this one in).</summary>
    public async Task SwitchAsync(Socket fresh)
    {
        await _sending.WaitAsync();
        try
        {
            _to = fresh;
            var kept = _replay;
            _replay = null; // one retry
            if (kept is { Length: > 0 })
            {
                await fresh.SendAsync(kept.GetBuffer().AsMemory(0, (int)kept.Length), SocketFlags.None);
            }

            if (_ended)
            {
                Shutdown(fresh);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The fresh worker went too: its response copy sees it.
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task RunAsync()
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int n;
            try
            {
                n = await _client.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            var over = false;
            await _sending.WaitAsync();
            try
            {
                if (n == 0)
                {
                    _ended = true;
                    Shutdown(_to);
                    return;
                }

                if (_headSeen < 4)
                {
                    Head(buffer.AsSpan(0, n));
                }

                Keep(buffer.AsSpan(0, n));
                await _to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // No retry can follow: the worker's side is over (it may have answered without reading the body).
                over = !CanReplay;
            }
            finally
            {
                _sending.Release();
            }

            if (over)
            {
                await DrainAsync(buffer);
                return;
            }
        }
    }

    /// <summary>The worker closed before the client finished sending (an app that answers without reading the body):
    /// the rest of the upload is read and dropped, so the client (nginx, still writing the body) is not reset and reads
    /// the whole response — nginx's lingering close, bounded as its <c>lingering_time</c> (30 s).</summary>
    private async Task DrainAsync(byte[] buffer)
    {
        using var bound = new CancellationTokenSource(LingeringTime);
        try
        {
            while (await _client.ReceiveAsync(buffer, SocketFlags.None, bound.Token) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    /// <summary>The response is over (or will not be retried): a copy that fails from now on ends.</summary>
    public void Finish() => Volatile.Write(ref _replay, null);

    private static void Shutdown(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private void Head(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length && _headSeen < 4; i++, _headSeen++)
        {
            if (_headSeen == 1)
            {
                _sizeLow = data[i];
            }
            else if (_headSeen == 2)
            {
                Volatile.Write(ref _varsSize, _sizeLow | (data[i] << 8));
            }
        }
    }

    private void Keep(ReadOnlySpan<byte> data)
    {
        if (_replay is not { } kept)
        {
            return;
        }

        if (kept.Length + data.Length > ReplayLimit)
        {
            Volatile.Write(ref _replay, null);
            return;
        }

        kept.Write(data);
    }
}

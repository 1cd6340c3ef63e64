using System.Net.Sockets;
using NginxLite.Handlers.Apps;
using NginxLite.Handlers.Posix;
using NginxLite.Routing;

namespace NginxLite.Apps;

/// <summary>
/// An app's public <c>socket PATH</c> (uWSGI's <c>socket</c>: the uwsgi protocol, so an existing nginx
/// <c>uwsgi_pass unix:PATH</c> keeps working): each accepted connection is one request, relayed byte for byte to the
/// least-busy worker and back — no parsing. A stale socket file is replaced, <c>chmod_socket</c>/<c>chown_socket</c>
/// are applied after bind, and the file is removed on dispose (vacuum).
/// </summary>
internal sealed class AppSocketRelay : IAsyncDisposable
{
    /// <summary>How long a connection waits for a worker when none is up (uwsgi_connect_timeout's role for app_pass).</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);

    private readonly Socket _listener;
    private readonly Func<IAppPool?> _pool;
    private readonly AppLogWriter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private AppSocketRelay(string path, string app, Socket listener, Func<IAppPool?> pool, AppLogWriter log)
    {
        Path = path;
        App = app;
        _listener = listener;
        _pool = pool;
        _log = log;
        _accepting = AcceptAsync();
    }

    public string Path { get; }

    public string App { get; }

    public static AppSocketRelay Open(string path, string app, string? mode, string? owner, int backlog, Func<IAppPool?> pool, AppLogWriter log)
    {
        try
        {
            UnixSocketFile.PrepareBind(path);
        }
        catch (IOException e)
        {
            throw new AppLoadException(app, e.Message);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(backlog);
            UnixSocketFile.ApplyPermissions(path, mode, owner);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            throw new AppLoadException(app, $"bind() to unix:{path} failed ({e.Message})");
        }
        catch (IOException e)
        {
            listener.Dispose();
            throw new AppLoadException(app, e.Message);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new AppSocketRelay(path, app, listener, pool, log);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        {
            AppLease? lease = null;
            RelayUpload? upload = null;
            IAppPool? pool = null;
            var response = default(RelayedResponse);
            try
            {
                pool = _pool();
                lease = pool is null ? null : await pool.ConnectAsync(ConnectTimeout, _stop.Token);
                if (lease is null)
                {
                    _log(ErrorLevel.Error, $"app \"{App}\": no worker for a connection on unix:{Path}");
                    return;
                }

                // One request per connection: the request until the client half-closes (or the worker answers and
                // closes), the response until the worker closes.
                upload = new RelayUpload(client, lease.Socket, keep: lease.Reused);
                response = await CopyAsync(lease.Socket, client);
                if (response.Bytes == 0 && lease.Reused && upload.CanReplay)
                {
                    // A kept connection (app_pass left it open) that gave nothing back: its worker went meanwhile
                    // (killed, recycled). Once more on a fresh connection, as app_pass retries a stale one.
                    lease.Socket.Dispose();
                    lease.End(AppLeaseFailure.None, status: 0, responseBytes: 0);
                    lease = await pool!.ConnectAsync(ConnectTimeout, _stop.Token);
                    if (lease is null)
                    {
                        _log(ErrorLevel.Error, $"app \"{App}\": no worker for a connection on unix:{Path}");
                        upload.Finish();
                        return;
                    }

                    await upload.SwitchAsync(lease.Socket);
                    response = await CopyAsync(lease.Socket, client);
                }

                upload.Finish();
                try
                {
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                }

                lease.Socket.Dispose(); // ends the upload copy if the client keeps its side open
                await upload.Completion;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                if (lease is not null)
                {
                    lease.Socket.Dispose();
                    lease.End(Refused(response, upload, pool) ? AppLeaseFailure.None : response.Failure, response.Status, response.Bytes);
                }
            }
        }
    }

    /// <summary>
    /// A worker that closed without a response to a request whose vars block is over the pool's <c>buffer_size</c>
    /// refused it (uWSGI's "invalid request block size"; nginx answers 502): the worker is fine and is not held back.
    /// A client behind nginx can send such a request (a long header), so it must not stall a worker; the other refusals
    /// of the shim (modifier1, a malformed block) come from the front's configuration, not its clients.
    /// </summary>
    private static bool Refused(RelayedResponse response, RelayUpload? upload, IAppPool? pool) =>
        response is { Failure: AppLeaseFailure.ConnectionLost, Bytes: 0 } && upload is not null
        && pool is AppPool { Settings.BufferSize: var limit } && upload.VarsSize > limit;

    /// <summary>Copies the worker's response until the worker closes; returns the bytes copied, the status of its
    /// first line (the shims answer with an HTTP status line; 0 when there is none) and whether the worker's
    /// connection was lost. The client's side is left open: a response that never started may still come from a
    /// retry.</summary>
    private static async Task<RelayedResponse> CopyAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        var total = 0L;
        var status = 0;
        while (true)
        {
            int n;
            try
            {
                n = await from.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Reset by the worker (a process that dies with unread input resets its connections): lost, however
                // much of the response came.
                return new(total, status, AppLeaseFailure.ConnectionLost);
            }

            if (n == 0)
            {
                // The uwsgi protocol ends a response with the close (nothing here parses it, so a response cut after
                // its first byte cannot be told from a whole one). No byte at all is no response: the worker closed
                // without answering, what a SIGKILLed worker's connection does a moment before its exit is seen.
                return new(total, status, total == 0 ? AppLeaseFailure.ConnectionLost : AppLeaseFailure.None);
            }

            if (total == 0)
            {
                status = StatusOf(buffer.AsSpan(0, n));
            }

            total += n;
            try
            {
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return new(total, status, AppLeaseFailure.None); // the client went: the worker is fine
            }
        }
    }

    /// <summary>NNN of <c>HTTP/1.x NNN</c> at the start of <paramref name="head"/>, else 0.</summary>
    private static int StatusOf(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && head.StartsWith("HTTP/"u8) && head[8] == (byte)' '
        && int.TryParse(head.Slice(9, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status)
            ? status
            : 0;

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepting;
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}

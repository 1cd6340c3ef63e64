using System.Net.Sockets;

namespace NginxLite.Handlers.Apps;

/// <summary>
/// One request's connection to one worker. <see cref="End(bool, int, long, bool)"/> is called exactly once when the
/// exchange is over: the pool counts the worker's in-flight requests down, counts the request toward max_requests,
/// checks reload_on_rss and keeps the connection for the next request when it may (docs/apps.md, "What app_pass
/// sends").
/// </summary>
public abstract class AppLease
{
    protected AppLease(Socket socket, string address, bool framed, bool reused)
    {
        Socket = socket;
        Address = address;
        Framed = framed;
        Reused = reused;
    }

    public Socket Socket { get; }

    /// <summary>The worker's socket as the error log names it (<c>unix:/run/…/worker-1.sock</c>).</summary>
    public string Address { get; }

    /// <summary>The worker frames its response when the request is marked (the Python shim): app_pass marks it and
    /// reads the frames, and the connection can carry the next request. False: a close-delimited response (Rack).</summary>
    public bool Framed { get; }

    /// <summary>The connection carried an earlier request: if it fails before any byte of the response, the worker
    /// may have gone meanwhile and the request may be tried once more on a fresh connection.</summary>
    public bool Reused { get; }

    /// <summary>True when harakiri killed the worker during this request: the client gets 504, not 502.</summary>
    public abstract bool KilledByHarakiri { get; }

    /// <summary>The request is over; <paramref name="failure"/>: the connection was lost (reset, premature close)
    /// or timed out, before or after the response began — the worker may be dying, so the pool holds back the worker
    /// (lost) or the slot (timed out) for a moment (not for an invalid response the worker sent: that worker is fine);
    /// <paramref name="status"/>: the worker's response status (0 when none came); <paramref name="responseBytes"/>:
    /// the bytes the worker sent, head and body (uWSGI's <c>tx</c>); <paramref name="reusable"/>: the response was read
    /// to its end frame and the whole request was sent, so the connection may carry the next request.</summary>
    public abstract void End(AppLeaseFailure failure, int status, long responseBytes, bool reusable);

    /// <summary>The request is over and the connection is not reused (a close-delimited exchange).</summary>
    public void End(AppLeaseFailure failure, int status, long responseBytes) => End(failure, status, responseBytes, reusable: false);
}

using System.Net.Sockets;

namespace NginxLite.Handlers.Apps;

/// <summary>
/// One request's connection to one worker. <see cref="End"/> is called exactly once when the exchange is over: the
/// pool counts the worker's in-flight requests down, counts the request toward max_requests and checks reload_on_rss.
/// </summary>
public abstract class AppLease
{
    protected AppLease(Socket socket, string address)
    {
        Socket = socket;
        Address = address;
    }

    public Socket Socket { get; }

    /// <summary>The worker's socket as the error log names it (<c>unix:/run/…/worker-1.sock</c>).</summary>
    public string Address { get; }

    /// <summary>True when harakiri killed the worker during this request: the client gets 504, not 502.</summary>
    public abstract bool KilledByHarakiri { get; }

    /// <summary>The request is over; <paramref name="failed"/>: it ended with an upstream error;
    /// <paramref name="status"/>: the worker's response status (0 when none came); <paramref name="responseBytes"/>:
    /// the bytes the worker sent, head and body (uWSGI's <c>tx</c>).</summary>
    public abstract void End(bool failed, int status, long responseBytes);
}

namespace NginxLite.Handlers.Apps;

/// <summary>
/// How a request on a worker connection failed, as the pool needs to know it (<see cref="AppLease.End"/>): the worker
/// may be dying, so the pool holds back what the failure points at (docs/apps.md, "Kept connections").
/// </summary>
public enum AppLeaseFailure
{
    /// <summary>No failure of the connection: a response (whole, or one the front end refused, which says the worker is
    /// fine), a client that went away, a request never sent.</summary>
    None,

    /// <summary>The request outlived a read or send timeout: one request (one thread) is stuck; the worker's other
    /// threads may well serve, so only this request's slot is held back.</summary>
    TimedOut,

    /// <summary>The worker closed or reset the connection without a whole response: the worker itself is likely
    /// dying (a SIGKILL closes every socket of it a moment before its exit is seen), so none of its slots is handed
    /// out until the exit is seen or the hold's bound passes.</summary>
    ConnectionLost,
}

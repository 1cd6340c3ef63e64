namespace NginxLite.Server.Hosting;

/// <summary>
/// nginx's connection and request counters (what <c>stub_status</c> prints): kept for the life of the process,
/// across reloads, updated with one interlocked operation per event.
/// </summary>
public sealed class ConnectionStats
{
    private long _accepted;
    private long _closed;
    private long _requests;
    private long _writing;

    /// <summary>Connections accepted since start (nginx's <c>accepts</c>; also <c>handled</c>: none is refused for
    /// lack of resources).</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Open client connections, idle keep-alive ones included.</summary>
    public long Active => Interlocked.Read(ref _accepted) - Interlocked.Read(ref _closed);

    /// <summary>Client requests since start.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests being processed now: from a parsed head until the response is written.</summary>
    public long Writing => Interlocked.Read(ref _writing);

    /// <summary>Idle keep-alive connections: open, no request in progress.</summary>
    public long Waiting => Math.Max(0, Active - Writing);

    internal void ConnectionOpened() => Interlocked.Increment(ref _accepted);

    internal void ConnectionClosed() => Interlocked.Increment(ref _closed);

    internal void RequestStarted()
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _writing);
    }

    internal void RequestEnded() => Interlocked.Decrement(ref _writing);
}

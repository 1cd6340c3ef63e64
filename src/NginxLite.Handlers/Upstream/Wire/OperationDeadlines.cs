namespace NginxLite.Handlers.Upstream.Wire;

/// <summary>
/// nginx's <c>*_read_timeout</c> / <c>*_send_timeout</c> for one upstream connection without a timer per operation:
/// an operation writes its deadline into a field, and <see cref="DeadlineWatch"/> cancels <see cref="Token"/> when a
/// deadline has passed (checked every 100 ms; nginx's own timers are that coarse with <c>timer_resolution</c>). One
/// cancellation source serves the connection's whole life: once it fires, the connection is finished.
/// </summary>
internal sealed class OperationDeadlines : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private long _readDeadline;
    private long _sendDeadline;
    private int _expired;

    public OperationDeadlines() => DeadlineWatch.Add(this);

    public CancellationToken Token => _cancel.Token;

    internal CancellationTokenSource Source => _cancel;

    /// <summary>Which deadline passed: <see cref="ReadExpired"/>, <see cref="SendExpired"/>, or 0.</summary>
    public int Expired => Volatile.Read(ref _expired);

    public const int ReadExpired = 1;
    public const int SendExpired = 2;

    /// <summary>Where <see cref="DeadlineWatch"/> keeps this entry (swap-remove index).</summary>
    internal int Slot { get; set; } = -1;

    public void StartRead(TimeSpan timeout) => Volatile.Write(ref _readDeadline, Deadline(timeout));

    public void EndRead() => Volatile.Write(ref _readDeadline, 0);

    public void StartSend(TimeSpan timeout) => Volatile.Write(ref _sendDeadline, Deadline(timeout));

    public void EndSend() => Volatile.Write(ref _sendDeadline, 0);

    /// <summary>Stops every operation in progress (the exchange is over, or failed elsewhere).</summary>
    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Called by the watch with the current <see cref="Environment.TickCount64"/>: true when a deadline
    /// passed just now (the watch then calls <see cref="Cancel"/>, outside its lock).</summary>
    internal bool Check(long now)
    {
        var read = Volatile.Read(ref _readDeadline);
        var send = Volatile.Read(ref _sendDeadline);
        var which = read != 0 && now >= read ? ReadExpired : send != 0 && now >= send ? SendExpired : 0;
        return which != 0 && Interlocked.CompareExchange(ref _expired, which, 0) == 0;
    }

    public void Dispose()
    {
        DeadlineWatch.Remove(this);
        _cancel.Dispose();
    }

    private static long Deadline(TimeSpan timeout) =>
        timeout <= TimeSpan.Zero || timeout == Timeout.InfiniteTimeSpan ? 0 : Environment.TickCount64 + (long)timeout.TotalMilliseconds;
}

namespace NginxLite.Handlers.Apps;

/// <summary>
/// A pool of application workers as <c>app_pass</c> sees it (NginxLite.Apps' AppPool implements it): a connection to
/// the least-busy live worker, held for one request (the uwsgi protocol is one request per connection).
/// </summary>
public interface IAppPool
{
    /// <summary>The app's name, for log lines (<c>upstream: "uwsgi://NAME"</c> when no worker is up).</summary>
    string Name { get; }

    /// <summary>A connection to a chosen worker, or null when no worker is up (the caller answers 502). A worker that
    /// refuses the connect (it just died) is skipped for another one within <paramref name="connectTimeout"/>.</summary>
    ValueTask<AppLease?> ConnectAsync(TimeSpan connectTimeout, CancellationToken cancel);
}

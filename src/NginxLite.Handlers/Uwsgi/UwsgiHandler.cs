namespace NginxLite.Handlers.Uwsgi;

/// <summary><c>uwsgi_pass</c> (ngx_http_uwsgi_module): the uwsgi exchange (<see cref="UwsgiExchange"/>) with peers from
/// the shared upstream groups.</summary>
public sealed class UwsgiHandler : IContentHandler
{
    private readonly UwsgiExchange _exchange;

    public UwsgiHandler()
        : this(new Upstream.UpstreamPeers())
    {
    }

    /// <summary>A handler taking its connections from <paramref name="peers"/> (shared with the other pass handlers).</summary>
    public UwsgiHandler(Upstream.UpstreamPeers peers) => _exchange = new UwsgiExchange(peers);

    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request) => _exchange.HandleAsync(request);
}

namespace NginxLite.Handlers;

/// <summary>
/// The content handler for each pass directive. One instance per server process: handlers hold only shared,
/// thread-safe state (connection pools, peer health), keyed by the route table's compiled upstreams.
/// </summary>
public sealed class ContentHandlers
{
    private readonly Dictionary<string, IContentHandler> _byDirective = new(StringComparer.Ordinal);

    public ContentHandlers()
    {
        // Each handler registers itself here as it lands: proxy_pass, fastcgi_pass, uwsgi_pass (issue 4),
        // app_pass (issue 6), cgi (issue 7).
        Register("proxy_pass", new Proxy.ProxyHandler(Peers));
        Register("fastcgi_pass", new FastCgi.FastCgiHandler(Peers));
        Register("uwsgi_pass", new Uwsgi.UwsgiHandler(Peers));
        Register("cgi", new Cgi.CgiHandler());
    }

    /// <summary>Upstream peers (groups, balancing, keepalive caches, failure marking) shared by every pass handler.</summary>
    public Upstream.UpstreamPeers Peers { get; } = new();

    /// <summary>The handler for <paramref name="directive"/>, or null when the engine does not serve it yet.</summary>
    public IContentHandler? For(string directive) => _byDirective.GetValueOrDefault(directive);

    /// <summary>Adds or replaces the handler of a directive (tests register their own).</summary>
    public void Register(string directive, IContentHandler handler) => _byDirective[directive] = handler;
}

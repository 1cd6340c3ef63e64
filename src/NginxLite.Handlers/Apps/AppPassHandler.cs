using NginxLite.Handlers.CgiUpstream;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Apps;

/// <summary>
/// <c>app_pass NAME</c>: the uwsgi exchange of <c>uwsgi_pass</c> (params, body, response relay, 502/504 lines), with
/// the connection taken from the app pool's least-busy worker and the built-in uwsgi params (docs/apps.md).
/// </summary>
public sealed class AppPassHandler(IAppPools pools) : IContentHandler
{
    private readonly Exchange _exchange = new(pools);

    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request)
    {
        var name = request.Settings.Upstream?.Target ?? "";
        if (request.Settings.AppPass is null || pools.Find(name) is null)
        {
            // -t refuses an unknown name; this is a pool that failed to start or was removed by a reload in flight.
            request.Log(ErrorLevel.Error, $"app \"{name}\" is not running");
            return ValueTask.FromResult(HandlerResult.Error(502));
        }

        return _exchange.HandleAsync(request);
    }

    private sealed class Exchange(IAppPools pools) : Uwsgi.UwsgiExchange(new Upstream.UpstreamPeers())
    {
        protected override string Directive => "app_pass";

        protected override CgiUpstreamSettings SettingsOf(IUpstreamRequest request) => request.Settings.AppPass!;

        protected override IAppPool? PoolOf(IUpstreamRequest request) => pools.Find(request.Settings.Upstream!.Target);

        // The shims take modifier1 0 (WSGI/Rack); uwsgi_modifier1 is for uwsgi_pass's applications.
        protected override (byte Modifier1, byte Modifier2) Modifiers(IUpstreamRequest request) => (0, 0);
    }
}

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
    private readonly Exchange _exchange = new();

    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request)
    {
        var name = request.Settings.Upstream?.Target ?? "";
        if (request.Settings.AppPass is null || pools.Find(name) is not { } pool)
        {
            // -t refuses an unknown name; this is a pool that failed to start or was removed by a reload in flight.
            request.Log(ErrorLevel.Error, $"app \"{name}\" is not running");
            return ValueTask.FromResult(HandlerResult.Error(502));
        }

        return _exchange.HandleAsync(request, pool);
    }

    private sealed class Exchange() : Uwsgi.UwsgiExchange(new Upstream.UpstreamPeers())
    {
        protected override string Directive => "app_pass";

        protected override CgiUpstreamSettings SettingsOf(IUpstreamRequest request) => request.Settings.AppPass!;

        // The shims take modifier1 0 (WSGI/Rack); uwsgi_modifier1 is for uwsgi_pass's applications.
        protected override (byte Modifier1, byte Modifier2) Modifiers(IUpstreamRequest request) => (0, 0);

        // The shims refuse a vars block over the pool's buffer_size (--buffer-size), as uWSGI does.
        protected override int MaxVarsBlock(IUpstreamRequest request) => request.Settings.AppPass!.MaxVarsBlock;
    }
}

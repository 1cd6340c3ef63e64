using NginxLite.Routing.Apps;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>
    /// The params app_pass sends without any <c>include uwsgi_params</c>: Debian's /etc/nginx/uwsgi_params (conf/uwsgi_params)
    /// with SCRIPT_NAME "" and PATH_INFO = $uri (the app is mounted at the root, as uWSGI's default app), and an empty,
    /// skipped HTTP_PROXY so a client's <c>Proxy:</c> header never becomes HTTP_PROXY (httpoxy, CVE-2016-5385).
    /// </summary>
    private static readonly (string Name, string Value, bool IfNotEmpty)[] AppParams =
    [
        ("QUERY_STRING", "$query_string", false),
        ("REQUEST_METHOD", "$request_method", false),
        ("CONTENT_TYPE", "$content_type", false),
        ("CONTENT_LENGTH", "$content_length", false),
        ("REQUEST_URI", "$request_uri", false),
        ("SCRIPT_NAME", "", false),
        ("PATH_INFO", "$uri", false),
        ("DOCUMENT_ROOT", "$document_root", false),
        ("SERVER_PROTOCOL", "$server_protocol", false),
        ("REQUEST_SCHEME", "$scheme", false),
        ("HTTPS", "$https", true),
        ("REMOTE_ADDR", "$remote_addr", false),
        ("REMOTE_PORT", "$remote_port", false),
        ("SERVER_PORT", "$server_port", false),
        ("SERVER_NAME", "$server_name", false),
        ("HTTP_HOST", "$host", false),
        ("HTTP_PROXY", "", true),
    ];

    /// <summary>How long app_pass waits beyond the pool's harakiri: the pool kills the worker and answers 504 itself at
    /// harakiri (WorkerLease's timer); the read timeout must not fire first.</summary>
    private static readonly TimeSpan HarakiriGrace = TimeSpan.FromSeconds(1);

    private PassParam[]? _appParams;

    private Dictionary<string, AppSettings> _apps = new(StringComparer.Ordinal);

    /// <summary>The location's uwsgi settings with the built-in params first; a uwsgi_param of the location replaces
    /// the built-in one of that name (HTTP_PROXY stays hidden).</summary>
    private UwsgiSettings AppPassSettings(UwsgiSettings location, string appName)
    {
        _appParams ??= [.. AppParams.Select(p => new PassParam(p.Name, ComplexValue.Parse(p.Value, _variables), p.IfNotEmpty))];
        var own = location.Params.Where(p => p.Name != "HTTP_PROXY").ToList();
        var s = location.Clone();
        // The app reads its body from the socket as it goes (uWSGI's post-buffering is off by default).
        s.RequestBuffering = false;
        s.Params = [.. _appParams.Where(p => !own.Exists(o => o.Name == p.Name)), .. own];

        // In nginx → uWSGI, uwsgi_read_timeout (60 s) answers 504 before a longer harakiri fires. app_pass has no second
        // server in between: the pool's harakiri is the limit, so the read timeout is at least harakiri + grace.
        if (_apps.TryGetValue(appName, out var app) && app.Harakiri > TimeSpan.Zero && s.ReadTimeout < app.Harakiri + HarakiriGrace)
        {
            s.ReadTimeout = app.Harakiri + HarakiriGrace;
        }

        // A worker refuses a vars block over its buffer_size by closing the connection (uWSGI: "invalid request block
        // size"); app_pass checks it before sending, against the limit of the pool (once here, not per request).
        if (app is not null)
        {
            s.MaxVarsBlock = app.BufferSize;
        }

        return s;
    }
}

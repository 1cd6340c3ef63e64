using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// What fastcgi_* and uwsgi_* share (both modules are nginx's upstream module with a CGI-style parameter list): the
/// target, the params, timeouts, header filtering and buffering. Each level works on a copy (copy on write).
/// </summary>
public abstract class CgiUpstreamSettings
{
    /// <summary>The <c>*_pass</c> target as written (<c>host:port</c>, <c>unix:/path</c>, an upstream name; may hold variables).</summary>
    public ComplexValue? Pass { get; internal set; }

    /// <summary><c>*_param</c> in order; a level with any replaces the inherited list.</summary>
    public PassParam[] Params { get; internal set; } = [];

    public TimeSpan ConnectTimeout { get; internal set; } = TimeSpan.FromSeconds(60);

    public TimeSpan ReadTimeout { get; internal set; } = TimeSpan.FromSeconds(60);

    public TimeSpan SendTimeout { get; internal set; } = TimeSpan.FromSeconds(60);

    public bool InterceptErrors { get; internal set; }

    /// <summary><c>fastcgi_ignore_headers</c> / <c>uwsgi_ignore_headers</c> (X-Accel-Redirect is the one acted on).</summary>
    public UpstreamIgnoreHeaders IgnoreHeaders { get; internal set; }

    /// <summary><c>*_hide_header</c> and <c>*_pass_header</c> (each of the nearest level that has any) and the
    /// headers they keep from the client with nginx's defaults.</summary>
    public HiddenHeaders Hidden { get; internal set; } = HiddenHeaders.Cgi;

    public bool RequestBuffering { get; internal set; } = true;

    public bool Buffering { get; internal set; } = true;

    public bool PassRequestHeaders { get; internal set; } = true;

    public bool PassRequestBody { get; internal set; } = true;

    /// <summary><c>*_buffer_size</c>: the response head must fit (nginx's default is one page, 4k here).</summary>
    public int BufferSize { get; internal set; } = 4096;

    /// <summary><c>*_ignore_client_abort</c>.</summary>
    public bool IgnoreClientAbort { get; internal set; }

    /// <summary><c>*_next_upstream</c>: when another peer of an <c>upstream {}</c> group is tried (nginx's default: error timeout).</summary>
    public NextUpstream NextUpstream { get; internal set; } = NextUpstream.Error | NextUpstream.Timeout;

    /// <summary><c>*_next_upstream_tries</c>: 0 = one try per peer.</summary>
    public int NextUpstreamTries { get; internal set; }

    /// <summary><c>*_next_upstream_timeout</c>: zero = no limit.</summary>
    public TimeSpan NextUpstreamTimeout { get; internal set; }
}

/// <summary>One <c>fastcgi_param</c>/<c>uwsgi_param NAME VALUE [if_not_empty]</c>.</summary>
public sealed record PassParam(string Name, ComplexValue Value, bool IfNotEmpty);

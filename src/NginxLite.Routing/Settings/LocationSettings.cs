using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Settings;

/// <summary>
/// The merged http → server → location settings the handlers read. Built by <see cref="SettingsCompiler"/> (a copy of
/// the parent, then the level's own directives), immutable once the route table is built.
/// </summary>
public sealed class LocationSettings
{
    public ComplexValue Root { get; internal set; } = ComplexValue.Literal("html");

    /// <summary>Set by <c>alias</c>; then <see cref="Root"/> is unused.</summary>
    public ComplexValue? Alias { get; internal set; }

    public ComplexValue[] Index { get; internal set; } = [ComplexValue.Literal("index.html")];

    public TryFilesRule? TryFiles { get; internal set; }

    public bool AutoIndex { get; internal set; }

    /// <summary><c>autoindex_format</c>: html (default), xml, json, jsonp.</summary>
    public AutoIndexFormat AutoIndexFormat { get; internal set; }

    /// <summary><c>autoindex_exact_size</c> (on by default).</summary>
    public bool AutoIndexExactSize { get; internal set; } = true;

    /// <summary><c>autoindex_localtime</c> (off by default: UTC).</summary>
    public bool AutoIndexLocaltime { get; internal set; }

    public IReadOnlyDictionary<int, ErrorPageRule> ErrorPages { get; internal set; } = EmptyErrorPages;

    public bool RecursiveErrorPages { get; internal set; }

    public HeaderRule[] AddHeaders { get; internal set; } = [];

    public ExpiresRule? Expires { get; internal set; }

    public MimeTypes Types { get; internal set; } = MimeTypes.Default;

    public string DefaultType { get; internal set; } = "text/plain";

    public bool ServerTokens { get; internal set; } = true;

    public bool AbsoluteRedirect { get; internal set; } = true;

    public bool PortInRedirect { get; internal set; } = true;

    public bool ServerNameInRedirect { get; internal set; }

    public bool LogNotFound { get; internal set; } = true;

    /// <summary><c>disable_symlinks</c>: off (default), on, if_not_owner.</summary>
    public SymlinkCheck DisableSymlinks { get; internal set; }

    /// <summary><c>disable_symlinks … from=PART</c>: the leading part of the path not checked (null: check from "/").</summary>
    public ComplexValue? DisableSymlinksFrom { get; internal set; }

    public bool Etag { get; internal set; } = true;

    /// <summary><c>max_ranges</c>: 0 disables byte ranges; unlimited by default.</summary>
    public int MaxRanges { get; internal set; } = int.MaxValue;

    /// <summary><c>if_modified_since</c>: off, exact (default), before.</summary>
    public string IfModifiedSince { get; internal set; } = "exact";

    public long ClientMaxBodySize { get; internal set; } = 1 << 20;

    public AccessLogRule[] AccessLogs { get; internal set; } = [];

    /// <summary>The directive that hands the request to an upstream (<c>proxy_pass</c>, <c>uwsgi_pass</c> …), if any.</summary>
    public UpstreamPass? Upstream { get; internal set; }

    /// <summary>proxy_* settings (copy on write: see <see cref="ProxySettings"/>).</summary>
    public ProxySettings Proxy { get; internal set; } = ProxySettings.Default;

    /// <summary>fastcgi_* settings (copy on write).</summary>
    public FastCgiSettings FastCgi { get; internal set; } = FastCgiSettings.Default;

    /// <summary>uwsgi_* settings (copy on write).</summary>
    public UwsgiSettings Uwsgi { get; internal set; } = UwsgiSettings.Default;

    /// <summary>What <c>app_pass</c> sends: the location's uwsgi_* settings with the built-in uwsgi params first
    /// (no <c>include uwsgi_params</c> needed; see RouteTableCompiler.AppPass). Null without app_pass.</summary>
    public UwsgiSettings? AppPass { get; internal set; }

    /// <summary>cgi_* settings (copy on write).</summary>
    public CgiSettings Cgi { get; internal set; } = CgiSettings.Default;

    /// <summary><c>allow</c>/<c>deny</c> in order (ngx_http_access_module); empty allows everyone.</summary>
    public AccessRule[] Access { get; internal set; } = [];

    /// <summary><c>satisfy any</c>: either the access rules or basic authentication lets the request in (default: all).</summary>
    public bool SatisfyAny { get; internal set; }

    /// <summary><c>auth_basic</c> realm (null: off; a value evaluating to "off" is off too).</summary>
    public ComplexValue? AuthBasic { get; internal set; }

    /// <summary><c>auth_basic_user_file</c>, read on every request as nginx does.</summary>
    public ComplexValue? AuthBasicUserFile { get; internal set; }

    /// <summary><c>keepalive_requests</c> of the location the request ends in (ngx_http_finalize_connection reads it).</summary>
    public int KeepaliveRequests { get; internal set; } = 1000;

    /// <summary><c>keepalive_timeout</c> of the location the request ends in; zero disables keep-alive.</summary>
    public TimeSpan KeepaliveTimeout { get; internal set; } = TimeSpan.FromSeconds(75);

    /// <summary><c>keepalive_time</c>: no request starts on a connection older than this.</summary>
    public TimeSpan KeepaliveTime { get; internal set; } = TimeSpan.FromHours(1);

    /// <summary><c>limit_except</c>: a request whose method is not listed uses <see cref="LimitExceptRule.Settings"/>.</summary>
    public LimitExceptRule? LimitExcept { get; internal set; }

    internal LocationSettings Clone() => (LocationSettings)MemberwiseClone();

    internal static readonly IReadOnlyDictionary<int, ErrorPageRule> EmptyErrorPages = new Dictionary<int, ErrorPageRule>();
}

/// <summary><c>limit_except METHOD … { … }</c>: the methods allowed (GET implies HEAD) and the settings used for the
/// others (the location's, plus the block's own; the location's rewrite directives do not run for them).</summary>
public sealed class LimitExceptRule(HashSet<string> methods, LocationSettings settings)
{
    public LocationSettings Settings { get; } = settings;

    public bool Allows(string method) => methods.Contains(method);
}

/// <summary>One <c>allow</c>/<c>deny</c>: <c>all</c>, <c>unix:</c>, or an IPv4/IPv6 network.</summary>
public sealed record AccessRule(bool Allow, bool All, bool Unix, bool V6, int Bits, UInt128 Network)
{
    /// <summary>True when the rule applies to <paramref name="address"/> (null: a unix-socket client).</summary>
    public bool Matches(System.Net.IPAddress? address)
    {
        if (All)
        {
            return true;
        }

        if (address is null)
        {
            return Unix;
        }

        if (Unix)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var v6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        if (v6 != V6)
        {
            return false;
        }

        return v6
            ? Variables.GeoVariable.Mask6(Variables.GeoVariable.V6(address), Bits) == Network
            : Variables.GeoVariable.Mask4(Variables.GeoVariable.V4(address), Bits) == (uint)Network;
    }
}

/// <summary><c>error_page codes [=[code]] uri</c>: <see cref="Overwrite"/> null keeps the code, 0 takes the target's.</summary>
public sealed record ErrorPageRule(ComplexValue Uri, int? Overwrite);

/// <summary><c>add_header name value [always]</c>.</summary>
public sealed record HeaderRule(string Name, ComplexValue Value, bool Always);

/// <summary><c>try_files file … uri|=code</c>: the files to test and the fallback.</summary>
public sealed record TryFilesRule(ComplexValue[] Files, ComplexValue Fallback, int? FallbackCode);

/// <summary><c>expires</c>: <see cref="Seconds"/> from now (negative → no-cache), <see cref="Epoch"/>, <see cref="Max"/>.</summary>
public sealed record ExpiresRule(long Seconds, bool Epoch, bool Max);

/// <summary>An upstream pass the engine does not serve yet: the directive and its target.</summary>
public sealed record UpstreamPass(string Directive, string Target, bool AutoRedirect);

/// <summary>One <c>access_log path [format]</c> (a null <see cref="Path"/> never appears: <c>off</c> empties the list).</summary>
public sealed record AccessLogRule(string Path, LogFormat Format);

/// <summary>A <c>log_format</c>: its name, escaping and compiled value.</summary>
public sealed record LogFormat(string Name, LogEscape Escape, ComplexValue Value);

public enum AutoIndexFormat
{
    Html,
    Xml,
    Json,
    Jsonp,
}

public enum LogEscape
{
    Default,
    Json,
    None,
}

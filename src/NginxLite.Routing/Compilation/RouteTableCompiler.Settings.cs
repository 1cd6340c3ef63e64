using System.Globalization;
using System.Text;
using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    private static readonly HashSet<string> UpstreamDirectives = new(StringComparer.Ordinal)
    {
        "proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass", "app_pass",
    };

    /// <summary>
    /// Applies one level's own settings directives to <paramref name="s"/> (a copy of the parent's). Array directives
    /// (<c>add_header</c>, <c>error_page</c>, <c>index</c>, <c>access_log</c>) replace the inherited list when the level
    /// has any, as nginx's merge does.
    /// </summary>
    private void ApplyLevel(LocationSettings s, BoundDirective level, bool isLocation, bool isHttp)
    {
        var started = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in level.Children)
        {
            Apply(s, d, started);
        }
    }

    private void Apply(LocationSettings s, BoundDirective d, HashSet<string> started)
    {
        switch (d.Name)
        {
            case "root":
                s.Root = PathValue(d.Arg(0), trimSlash: true);
                s.Alias = null;
                break;
            case "alias":
                s.Alias = PathValue(d.Arg(0), trimSlash: false);
                break;
            case "index":
                var index = Start(started, "index") ? [] : s.Index.ToList();
                index.AddRange(d.Arguments.Select(a => ComplexValue.Parse(a.Value, _variables)));
                s.Index = [.. index];
                break;
            case "try_files":
                var files = d.Arguments.Take(d.Arguments.Count - 1).Select(a => ComplexValue.Parse(a.Value, _variables)).ToArray();
                var last = d.Arg(d.Arguments.Count - 1);
                int? code = last.StartsWith('=') && int.TryParse(last.AsSpan(1), out var c) ? c : null;
                s.TryFiles = new TryFilesRule(files, ComplexValue.Parse(last, _variables), code);
                break;
            case "autoindex":
                s.AutoIndex = d.Arg(0) == "on";
                break;
            case "allow" or "deny":
                var rules = Start(started, "access") ? [] : s.Access.ToList();
                if (ParseAccessRule(d.Name == "allow", d.Arg(0)) is { } rule)
                {
                    rules.Add(rule);
                }

                s.Access = [.. rules];
                break;
            case "satisfy":
                s.SatisfyAny = d.Arg(0) == "any";
                break;
            case "auth_basic":
                s.AuthBasic = d.Arg(0) == "off" ? null : ComplexValue.Parse(d.Arg(0), _variables);
                break;
            case "auth_basic_user_file":
                // ngx_http_compile_complex_value with conf_prefix: relative to the main config file's directory
                s.AuthBasicUserFile = ComplexValue.Parse(d.Arg(0).StartsWith('/') || d.Arg(0).StartsWith('$') ? d.Arg(0) : _confPrefix + d.Arg(0), _variables);
                break;
            case "keepalive_requests":
                s.KeepaliveRequests = int.TryParse(d.Arg(0), NumberStyles.None, CultureInfo.InvariantCulture, out var requests) ? requests : s.KeepaliveRequests;
                break;
            case "keepalive_timeout":
                s.KeepaliveTimeout = NginxValue.TryParseTime(d.Arg(0), out var keepalive) ? keepalive : s.KeepaliveTimeout;
                break;
            case "keepalive_time":
                s.KeepaliveTime = NginxValue.TryParseTime(d.Arg(0), out var keepaliveTime) ? keepaliveTime : s.KeepaliveTime;
                break;
            case "autoindex_exact_size":
                s.AutoIndexExactSize = d.Arg(0) == "on";
                break;
            case "autoindex_localtime":
                s.AutoIndexLocaltime = d.Arg(0) == "on";
                break;
            case "autoindex_format":
                s.AutoIndexFormat = d.Arg(0) switch
                {
                    "xml" => AutoIndexFormat.Xml,
                    "json" => AutoIndexFormat.Json,
                    "jsonp" => AutoIndexFormat.Jsonp,
                    _ => AutoIndexFormat.Html,
                };
                break;
            case "error_page":
                ApplyErrorPage(s, d, started);
                break;
            case "recursive_error_pages":
                s.RecursiveErrorPages = d.Arg(0) == "on";
                break;
            case "add_header":
                var headers = Start(started, "add_header") ? [] : s.AddHeaders.ToList();
                headers.Add(new HeaderRule(d.Arg(0), ComplexValue.Parse(d.Arg(1), _variables), d.Arguments.Count > 2 && d.Arg(2) == "always"));
                s.AddHeaders = [.. headers];
                break;
            case "expires":
                s.Expires = ParseExpires(d);
                break;
            case "types":
                s.Types = CompileTypes(d);
                break;
            case "default_type":
                s.DefaultType = d.Arg(0);
                break;
            case "server_tokens":
                s.ServerTokens = d.Arg(0) != "off";
                break;
            case "absolute_redirect":
                s.AbsoluteRedirect = d.Arg(0) == "on";
                break;
            case "port_in_redirect":
                s.PortInRedirect = d.Arg(0) == "on";
                break;
            case "server_name_in_redirect":
                s.ServerNameInRedirect = d.Arg(0) == "on";
                break;
            case "log_not_found":
                s.LogNotFound = d.Arg(0) == "on";
                break;
            case "disable_symlinks":
                s.DisableSymlinks = d.Arg(0) switch { "on" => SymlinkCheck.On, "if_not_owner" => SymlinkCheck.IfNotOwner, _ => SymlinkCheck.Off };
                s.DisableSymlinksFrom = d.Arguments.Count > 1 && d.Arg(1).StartsWith("from=", StringComparison.Ordinal)
                    ? ComplexValue.Parse(d.Arg(1)["from=".Length..], _variables)
                    : null;
                break;
            case "etag":
                s.Etag = d.Arg(0) == "on";
                break;
            case "max_ranges":
                s.MaxRanges = int.TryParse(d.Arg(0), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var maxRanges)
                    ? maxRanges
                    : int.MaxValue;
                break;
            case "if_modified_since":
                s.IfModifiedSince = d.Arg(0);
                break;
            case "client_max_body_size":
                s.ClientMaxBodySize = NginxValue.TryParseSize(d.Arg(0), out var size) ? size : s.ClientMaxBodySize;
                break;
            case "access_log":
                ApplyAccessLog(s, d, started);
                break;
            case "stub_status":
                s.Upstream = new UpstreamPass("stub_status", "", false);
                break;
            case "nginxlite_status":
                s.Upstream = new UpstreamPass("nginxlite_status", d.Arg(0), false);
                break;
            case "status_page" when d.Arg(0) == "on":
                s.Upstream = new UpstreamPass("status_page", "", false);
                break;
            case "cgi" when d.Arg(0) == "on":
                s.Upstream = new UpstreamPass("cgi", "", false);
                break;
            default:
                if (ApplyProxy(s, d, started) || ApplyFastCgi(s, d, started) || ApplyUwsgi(s, d, started) || ApplyCgi(s, d, started))
                {
                    break;
                }

                if (UpstreamDirectives.Contains(d.Name))
                {
                    s.Upstream = new UpstreamPass(d.Name, d.Arg(0), true);
                }

                break;
        }
    }

    private static bool Start(HashSet<string> started, string name) => started.Add(name);

    private static AccessRule? ParseAccessRule(bool allow, string value)
    {
        if (value == "all")
        {
            return new AccessRule(allow, true, false, false, 0, 0);
        }

        if (value == "unix:")
        {
            return new AccessRule(allow, false, true, false, 0, 0);
        }

        return TryParseCidr(value, out var net)
            ? new AccessRule(allow, false, false, net.V6, net.Bits, net.V6 ? net.Address6 : net.Address4)
            : null;
    }

    /// <summary><c>limit_except</c>: the block's settings start from the location's final settings.</summary>
    private void CompileLimitExcept(LocationSettings settings, BoundDirective location)
    {
        foreach (var d in location.Children.Where(c => c.Name == "limit_except"))
        {
            var methods = new HashSet<string>(StringComparer.Ordinal);
            foreach (var arg in d.Arguments)
            {
                var method = arg.Value.ToUpperInvariant();
                methods.Add(method);
                if (method == "GET")
                {
                    methods.Add("HEAD");
                }
            }

            var limited = settings.Clone();
            limited.LimitExcept = null;
            ApplyLevel(limited, d, isLocation: true, isHttp: false);
            settings.LimitExcept = new LimitExceptRule(methods, limited);
        }
    }

    private ComplexValue PathValue(string value, bool trimSlash)
    {
        if (trimSlash && value.Length > 1 && value.EndsWith('/'))
        {
            value = value[..^1];
        }

        if (!value.StartsWith('/') && !value.StartsWith('$'))
        {
            value = _prefix + value;
        }

        return ComplexValue.Parse(value, _variables);
    }

    private void ApplyErrorPage(LocationSettings s, BoundDirective d, HashSet<string> started)
    {
        var pages = Start(started, "error_page")
            ? new Dictionary<int, ErrorPageRule>()
            : new Dictionary<int, ErrorPageRule>(s.ErrorPages);
        var args = d.Arguments.Select(a => a.Value).ToList();
        var uri = ComplexValue.Parse(args[^1], _variables);
        int? overwrite = null;
        var codes = args.Count - 1;
        if (args.Count >= 3 && args[^2].StartsWith('='))
        {
            overwrite = args[^2].Length == 1 ? 0 : int.Parse(args[^2].AsSpan(1), CultureInfo.InvariantCulture);
            codes--;
        }

        for (var i = 0; i < codes; i++)
        {
            if (int.TryParse(args[i], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            {
                pages[code] = new ErrorPageRule(uri, overwrite);
            }
        }

        s.ErrorPages = pages;
    }

    private void ApplyAccessLog(LocationSettings s, BoundDirective d, HashSet<string> started)
    {
        if (d.Arg(0) == "off")
        {
            Start(started, "access_log");
            s.AccessLogs = [];
            return;
        }

        var logs = Start(started, "access_log") ? [] : s.AccessLogs.ToList();
        var format = d.Arguments.Count > 1 && !d.Arg(1).Contains('=', StringComparison.Ordinal) ? d.Arg(1) : "combined";
        if (_logFormats.TryGetValue(format, out var f) && !d.Arg(0).StartsWith("syslog:", StringComparison.Ordinal))
        {
            logs.Add(new AccessLogRule(FullPath(d.Arg(0)), f));
        }

        s.AccessLogs = [.. logs];
    }

    private static bool HasAccessLogOff(BoundDirective level) =>
        level.Children.Any(c => c.Name == "access_log" && c.Arg(0) == "off");

    private void CompileLogFormat(BoundDirective d)
    {
        var args = d.Arguments.Select(a => a.Value).ToList();
        var escape = LogEscape.Default;
        var start = 1;
        if (args.Count > 1 && args[1].StartsWith("escape=", StringComparison.Ordinal))
        {
            escape = args[1][7..] switch
            {
                "json" => LogEscape.Json,
                "none" => LogEscape.None,
                _ => LogEscape.Default,
            };
            start = 2;
        }

        var text = new StringBuilder();
        for (var i = start; i < args.Count; i++)
        {
            text.Append(args[i]);
        }

        _logFormats[args[0]] = new LogFormat(args[0], escape, ComplexValue.Parse(text.ToString(), _variables));
    }

    private static MimeTypes CompileTypes(BoundDirective d)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in d.Children)
        {
            foreach (var ext in line.Arguments)
            {
                map[ext.Value] = line.Name;
            }
        }

        return new MimeTypes(map);
    }

    private static ExpiresRule? ParseExpires(BoundDirective d)
    {
        var value = d.Arg(d.Arguments.Count - 1);
        switch (value)
        {
            case "off":
                return null;
            case "epoch":
                return new ExpiresRule(0, Epoch: true, Max: false);
            case "max":
                return new ExpiresRule(0, Epoch: false, Max: true);
        }

        var negative = value.StartsWith('-');
        var text = value.TrimStart('-', '+');
        return NginxValue.TryParseTime(text, out var t)
            ? new ExpiresRule((long)t.TotalSeconds * (negative ? -1 : 1), false, false)
            : null;
    }
}

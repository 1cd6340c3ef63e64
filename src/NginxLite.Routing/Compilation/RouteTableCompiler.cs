using System.Net;
using NginxLite.Config.Binding;
using NginxLite.Config.Validation;
using NginxLite.Config.Validation.Checks;
using NginxLite.Routing.Locations;
using NginxLite.Routing.Servers;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

/// <summary>
/// Turns a checked configuration (<c>ConfigTest.Run(…).Ok</c>) into a <see cref="RouteTable"/>: settings merged
/// http → server → location, locations in matchers, server names in lookups, rewrite directives in programs.
/// </summary>
public sealed partial class RouteTableCompiler
{
    public const string DefaultPidFile = "logs/nginxlite.pid";
    public const string DefaultErrorLog = "logs/error.log";
    public const string DefaultAccessLog = "logs/access.log";

    private readonly string _prefix;
    private readonly string _confPrefix;
    private readonly VariableTable _variables = new();
    private readonly Dictionary<string, LogFormat> _logFormats = new(StringComparer.Ordinal);
    private readonly List<Diagnostic> _diagnostics = [];
    private int _serverCount;
    private readonly HashSet<ListenAddress> _sslAddresses = [];
    private readonly HashSet<ListenAddress> _http2Addresses = [];

    private RouteTableCompiler(string prefix, string? configDirectory)
    {
        _prefix = prefix.EndsWith('/') ? prefix : prefix + "/";
        _confPrefix = configDirectory is null ? _prefix + "conf/" : configDirectory.TrimEnd('/') + "/";
        _logFormats["combined"] = new LogFormat("combined", LogEscape.Default, ComplexValue.Parse(
            "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"",
            _variables));
    }

    /// <summary>Compiles <paramref name="config"/>; relative paths resolve against <paramref name="prefix"/> (<c>-p</c>),
    /// or, where nginx uses its conf prefix (<c>auth_basic_user_file</c>), the main config file's directory.</summary>
    public static RouteTable Compile(BoundConfig config, string prefix, string? configDirectory = null) =>
        new RouteTableCompiler(prefix, configDirectory).Run(config.Root);

    private RouteTable Run(BoundDirective root)
    {
        CompileComputedVariables(root);

        // Every `set $x` gets a slot before any value is compiled, so `$x` means the user variable everywhere.
        foreach (var d in root.Descendants())
        {
            if (d.Name == "set" && d.Arguments.Count == 2 && d.Arg(0).StartsWith('$') && d.Arg(0) != "$args")
            {
                _variables.Slot(d.Arg(0)[1..].ToLowerInvariant());
            }
        }

        var upstreams = CompileUpstreams(root);
        var apps = _apps = CompileApps(root);
        var main = CompileMain(root);
        var addresses = new Dictionary<ListenAddress, List<(VirtualServer Server, bool Default)>>();
        foreach (var http in root.Children.Where(c => c.Name == "http"))
        {
            CompileHttp(http, addresses);
        }

        return new RouteTable(BuildListeners(addresses, _sslAddresses, _http2Addresses), main, _variables)
        {
            Upstreams = upstreams,
            Apps = apps,
            CgiUsers = [.. _cgiUsers],
            CompileDiagnostics = _diagnostics,
        };
    }

    private MainSettings CompileMain(BoundDirective root)
    {
        var pid = root.Children.LastOrDefault(c => c.Name == "pid")?.Arg(0) ?? DefaultPidFile;
        var errorLog = root.Children.FirstOrDefault(c => c.Name == "error_log");
        var errorPath = errorLog?.Arg(0) ?? DefaultErrorLog;
        var level = errorLog is { Arguments.Count: > 1 } && Enum.TryParse<ErrorLevel>(errorLog.Arg(1), ignoreCase: true, out var l)
            ? l
            : ErrorLevel.Error;
        var http = root.Children.FirstOrDefault(c => c.Name == "http");
        // The socket-wide idle limit is the longest keepalive_timeout anywhere; shorter ones (per server/location) are
        // enforced by the head filter after each response.
        var keepalive = root.Descendants().Where(c => c.Name == "keepalive_timeout" && c.Parent?.Name is "server" or "location" or "limit_except")
            .Select(c => Time(c, TimeSpan.Zero))
            .Append(Time(http?.Children.LastOrDefault(c => c.Name == "keepalive_timeout"), TimeSpan.FromSeconds(75))).Max();
        var headerTimeout = Time(http?.Children.LastOrDefault(c => c.Name == "client_header_timeout"), TimeSpan.FromSeconds(60));
        var requests = http?.Children.LastOrDefault(c => c.Name == "keepalive_requests") is { } kr && int.TryParse(kr.Arg(0), out var n)
            ? n
            : 1000;
        var user = root.Children.LastOrDefault(c => c.Name == "user");
        return new MainSettings(_prefix, FullPath(pid), errorPath == "stderr" ? "stderr" : FullPath(errorPath), level,
            keepalive, requests, headerTimeout, Dns.GetHostName())
        {
            User = user?.Arg(0),
            Group = user is { Arguments.Count: > 1 } ? user.Arg(1) : root.Children.LastOrDefault(c => c.Name == "group")?.Arg(0),
            SocketMode = LastArg(root, http, "chmod_socket"),
            SocketOwner = LastArg(root, http, "chown_socket"),
        };
    }

    private void CompileHttp(BoundDirective http, Dictionary<ListenAddress, List<(VirtualServer, bool)>> addresses)
    {
        foreach (var format in http.Children.Where(c => c.Name == "log_format"))
        {
            CompileLogFormat(format);
        }

        // nginx's default root is "html" under the prefix (ngx_http_core_merge_loc_conf → ngx_conf_full_name), not
        // relative to the working directory.
        var settings = new LocationSettings { Root = PathValue("html", trimSlash: true) };
        ApplyLevel(settings, http, isLocation: false, isHttp: true);
        if (settings.AccessLogs.Length == 0 && !HasAccessLogOff(http))
        {
            settings.AccessLogs = [new AccessLogRule(FullPath(DefaultAccessLog), _logFormats["combined"])];
        }

        foreach (var server in http.Children.Where(c => c.Name == "server"))
        {
            CompileServer(server, settings, addresses);
        }
    }

    private void CompileServer(BoundDirective block, LocationSettings http, Dictionary<ListenAddress, List<(VirtualServer, bool)>> addresses)
    {
        var settings = http.Clone();
        ApplyLevel(settings, block, isLocation: false, isHttp: false);
        var names = new List<ServerName>();
        foreach (var d in block.Children.Where(c => c.Name == "server_name"))
        {
            foreach (var arg in d.Arguments)
            {
                var text = arg.Value;
                names.Add(text.StartsWith('~')
                    ? new ServerName(text, new CompiledRegex(text[1..], ignoreCase: false, _variables))
                    : new ServerName(text.ToLowerInvariant(), null));
            }
        }

        if (names.Count == 0)
        {
            names.Add(new ServerName("", null));
        }

        var server = new VirtualServer(_serverCount++, names, settings)
        {
            Program = CompileProgram(block, settings, isLocation: false),
            MergeSlashes = Flag(block, "merge_slashes", Flag(block.Parent, "merge_slashes", true)),
            UnderscoresInHeaders = Flag(block, "underscores_in_headers", Flag(block.Parent, "underscores_in_headers", false)),
            IgnoreInvalidHeaders = Flag(block, "ignore_invalid_headers", Flag(block.Parent, "ignore_invalid_headers", true)),
        };
        var (lineLimit, totalLimit) = HeaderLimits(block);
        server.HeaderLineLimit = lineLimit;
        server.HeaderTotalLimit = totalLimit;
        server.Tls = CompileTls(block);
        var named = new Dictionary<string, Location>(StringComparer.Ordinal);
        server.Locations = CompileLocations(block, settings, named);
        server.NamedLocations = named;

        var listens = block.Children.Where(c => c.Name == "listen").Select(ListenSpec.Parse).ToList();
        if (listens.Count == 0)
        {
            Add(addresses, ListenAddress.Parse(ListenSpec.Implicit), server, false);
        }

        foreach (var listen in listens)
        {
            foreach (var address in listen.Addresses)
            {
                Add(addresses, ListenAddress.Parse(address), server, listen.DefaultServer);
                if (listen.Ssl)
                {
                    _sslAddresses.Add(ListenAddress.Parse(address));
                }

                if (listen.Http2)
                {
                    _http2Addresses.Add(ListenAddress.Parse(address));
                }
            }
        }
    }

    private static void Add(Dictionary<ListenAddress, List<(VirtualServer, bool)>> addresses, ListenAddress address, VirtualServer server, bool isDefault)
    {
        if (!addresses.TryGetValue(address, out var list))
        {
            list = [];
            addresses[address] = list;
        }

        if (!list.Exists(e => e.Item1 == server))
        {
            list.Add((server, isDefault));
        }
        else if (isDefault)
        {
            var i = list.FindIndex(e => e.Item1 == server);
            list[i] = (server, true);
        }
    }

    private LocationMatcher CompileLocations(BoundDirective block, LocationSettings parent, Dictionary<string, Location> named)
    {
        var locations = new List<Location>();
        foreach (var d in block.Children.Where(c => c.Name == "location"))
        {
            var name = LocationName.Parse(d);
            var kind = name.Kind switch
            {
                LocationKind.Exact => LocationMatchKind.Exact,
                LocationKind.PrefixNoRegex => LocationMatchKind.PrefixNoRegex,
                LocationKind.Regex => LocationMatchKind.Regex,
                LocationKind.Named => LocationMatchKind.Named,
                _ => LocationMatchKind.Prefix,
            };
            var ignoreCase = d.Arg(0).StartsWith("~*", StringComparison.Ordinal);
            var regex = kind == LocationMatchKind.Regex ? new CompiledRegex(name.Name, ignoreCase, _variables) : null;
            var settings = parent.Clone();
            settings.Upstream = null;
            ApplyLevel(settings, d, isLocation: true, isHttp: false);
            CompileLimitExcept(settings, d);
            settings.AppPass = settings.Upstream is { Directive: "app_pass" } ? AppPassSettings(settings.Uwsgi, settings.Upstream.Target) : null;
            var location = new Location(kind, name.Name, regex, settings)
            {
                Internal = d.Children.Any(c => c.Name == "internal"),
            };
            location.Program = CompileProgram(d, settings, isLocation: true);
            var nested = CompileLocations(d, settings, named);
            if (nested.Locations.Count > 0)
            {
                location.Nested = nested;
            }

            if (kind == LocationMatchKind.Named)
            {
                named.TryAdd(name.Name, location);
            }
            else
            {
                locations.Add(location);
            }
        }

        return new LocationMatcher(locations);
    }

    private static List<Listener> BuildListeners(Dictionary<ListenAddress, List<(VirtualServer Server, bool Default)>> addresses, HashSet<ListenAddress> ssl,
        HashSet<ListenAddress> http2)
    {
        static ServerNameLookup Lookup(List<(VirtualServer Server, bool Default)> entries)
        {
            var servers = entries.Select(e => e.Server).ToList();
            var def = entries.FirstOrDefault(e => e.Default).Server ?? servers[0];
            return new ServerNameLookup(servers, def);
        }

        var listeners = new List<Listener>();
        var folded = new HashSet<ListenAddress>();
        foreach (var (address, entries) in addresses)
        {
            if (!address.IsWildcard)
            {
                continue;
            }

            // nginx binds only the wildcard when a port has one, and picks the specific address's servers by the
            // connection's local address.
            var byLocal = new Dictionary<IPAddress, ServerNameLookup>();
            var foldedSsl = false;
            var foldedHttp2 = false;
            foreach (var (other, otherEntries) in addresses)
            {
                if (!other.IsWildcard && !other.IsUnix && other.IP!.Port == address.IP!.Port
                    && other.IP.AddressFamily == address.IP.AddressFamily)
                {
                    byLocal[other.IP.Address] = Lookup(otherEntries);
                    folded.Add(other);
                    foldedSsl |= ssl.Contains(other);
                    foldedHttp2 |= http2.Contains(other);
                }
            }

            // One socket, one TLS decision: nginx keeps `ssl` (and `http2`) per local address of a wildcard socket,
            // here an ssl (http2) specific address makes the whole wildcard socket TLS (HTTP/2)
            // (docs/intentional-differences.tsv).
            var lookup = Lookup(entries);
            listeners.Add(new Listener(address, lookup, byLocal)
            {
                Ssl = ssl.Contains(address) || foldedSsl || lookup.Default.Tls.On,
                Http2 = http2.Contains(address) || foldedHttp2,
            });
        }

        foreach (var (address, entries) in addresses)
        {
            if (!address.IsWildcard && !folded.Contains(address))
            {
                var lookup = Lookup(entries);
                listeners.Add(new Listener(address, lookup, new Dictionary<IPAddress, ServerNameLookup>())
                {
                    Ssl = ssl.Contains(address) || lookup.Default.Tls.On,
                    Http2 = http2.Contains(address),
                });
            }
        }

        return listeners;
    }

    /// <summary>ssl_certificate / ssl_certificate_key / ssl_protocols of a server, inherited from http as nginx merges
    /// them (ngx_http_ssl_merge_srv_conf); only the first ssl_certificate pair is used (docs/config-frontend.md).</summary>
    private ServerTls CompileTls(BoundDirective server)
    {
        BoundDirective? Find(string name) =>
            server.Children.FirstOrDefault(c => c.Name == name) ?? server.Parent?.Children.FirstOrDefault(c => c.Name == name);

        var certificate = Find("ssl_certificate")?.Arg(0);
        var key = Find("ssl_certificate_key")?.Arg(0);
        var protocols = (server.Children.LastOrDefault(c => c.Name == "ssl_protocols")
            ?? server.Parent?.Children.LastOrDefault(c => c.Name == "ssl_protocols"))?.Arguments.Select(a => a.Value).ToList();
        return new ServerTls(
            certificate is null ? null : ConfFile(certificate),
            key is null ? null : ConfFile(key),
            protocols is { Count: > 0 } ? protocols : ServerTls.DefaultProtocols,
            (server.Children.LastOrDefault(c => c.Name == "ssl_verify_client")
                ?? server.Parent?.Children.LastOrDefault(c => c.Name == "ssl_verify_client"))?.Arg(0) ?? "off",
            Flag(server, "ssl", Flag(server.Parent, "ssl", false)));
    }

    /// <summary>large_client_header_buffers (default 4 8k) and client_header_buffer_size (default 1k), server over http.</summary>
    private static (int Line, int Total) HeaderLimits(BoundDirective server)
    {
        BoundDirective? Find(string name) =>
            server.Children.LastOrDefault(c => c.Name == name) ?? server.Parent?.Children.LastOrDefault(c => c.Name == name);

        long number = 4, size = 8192, small = 1024;
        if (Find("large_client_header_buffers") is { Arguments.Count: 2 } large
            && long.TryParse(large.Arg(0), out var n)
            && Config.Directives.ValueChecks.NginxValue.TryParseSize(large.Arg(1), out var s))
        {
            (number, size) = (n, s);
        }

        if (Find("client_header_buffer_size") is { Arguments.Count: 1 } chbs
            && Config.Directives.ValueChecks.NginxValue.TryParseSize(chbs.Arg(0), out var c))
        {
            small = c;
        }

        var line = Math.Max(size, small);
        var total = Math.Max(number * size, small);
        return ((int)Math.Min(line, 1 << 20), (int)Math.Min(total, 1 << 22));
    }

    private string FullPath(string path) => Path.IsPathRooted(path) ? path : _prefix + path;

    private static bool Flag(BoundDirective? block, string name, bool fallback) =>
        block?.Children.LastOrDefault(c => c.Name == name) is { } d ? d.Arg(0) == "on" : fallback;

    /// <summary>A directive of the main or http context (http wins), last one written.</summary>
    private static string? LastArg(BoundDirective root, BoundDirective? http, string name) =>
        (http?.Children.LastOrDefault(c => c.Name == name) ?? root.Children.LastOrDefault(c => c.Name == name))?.Arg(0);

    private static TimeSpan Time(BoundDirective? d, TimeSpan fallback) =>
        d is not null && Config.Directives.ValueChecks.NginxValue.TryParseTime(d.Arg(0), out var t) ? t : fallback;
}

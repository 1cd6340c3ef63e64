using System.Net;
using System.Net.Sockets;
using NginxLite.Config.Binding;
using NginxLite.Config.Directives.ValueChecks;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// A <c>listen</c> directive as ngx_http_core_listen reads it: its addresses in nginx's text form
/// (<c>127.0.0.1:80</c>, <c>0.0.0.0:80</c>, <c>[::1]:80</c>, <c>unix:/s</c>) and its flags, or nginx's first error.
/// </summary>
internal sealed record ListenSpec(BoundDirective Directive, IReadOnlyList<string> Addresses, bool DefaultServer, bool Ssl, bool SetsOptions, string? Error)
{
    /// <summary>The implicit <c>listen *:80</c> of a server without one (nginx runs as root).</summary>
    public const string Implicit = "0.0.0.0:80";

    /// <summary><c>http2</c>: the address speaks HTTP/2 (ngx_http_v2_module; with <c>ssl</c> through ALPN, without it
    /// cleartext with prior knowledge).</summary>
    public bool Http2 { get; init; }

    private static readonly HashSet<string> Flags = new(StringComparer.Ordinal) { "default_server", "default", "ssl", "http2", "proxy_protocol" };
    private static readonly HashSet<string> OptionFlags = new(StringComparer.Ordinal) { "bind", "deferred", "reuseport" };
    private static readonly string[] OptionValues =
        ["backlog=", "rcvbuf=", "sndbuf=", "fastopen=", "accept_filter=", "ipv6only=o", "so_keepalive="];

    /// <summary><see cref="Parse"/>, once per directive and check run (the listen checks and the listen table share it).</summary>
    public static ListenSpec Of(BoundDirective d) => ConfigTree.Shared(d, nameof(ListenSpec), Parse);

    public static ListenSpec Parse(BoundDirective d)
    {
        var value = d.Arguments.Count > 0 ? d.Arg(0) : "";
        var (addresses, error) = ParseAddress(value);
        if (error is not null)
        {
            return new(d, [], false, false, false, $"{error} in \"{value}\" of the \"listen\" directive");
        }

        bool defaultServer = false, ssl = false, http2 = false, options = false;
        foreach (var p in d.Arguments.Skip(1).Select(a => a.Value))
        {
            if (Flags.Contains(p))
            {
                defaultServer |= p is "default_server" or "default";
                ssl |= p == "ssl";
                http2 |= p == "http2";
            }
            else if (OptionFlags.Contains(p) || OptionValues.Any(o => p.StartsWith(o, StringComparison.Ordinal)))
            {
                if (OptionError(p) is { } optionError)
                {
                    return new(d, [], false, false, false, optionError);
                }

                options = true;
            }
            else
            {
                return new(d, [], false, false, false, $"invalid parameter \"{p}\"");
            }
        }

        return new(d, addresses, defaultServer, ssl, options, null) { Http2 = http2 };
    }

    /// <summary>The values of ngx_http_core_listen's options on Linux (no setfib; accept_filter is only logged, never fatal).</summary>
    private static string? OptionError(string p)
    {
        var eq = p.IndexOf('=', StringComparison.Ordinal);
        var name = eq < 0 ? p : p[..eq];
        var value = eq < 0 ? "" : p[(eq + 1)..];
        return name switch
        {
            "backlog" when !NginxValue.TryParseDigits(value, out var n) || n == 0 => $"invalid backlog \"{p}\"",
            "rcvbuf" or "sndbuf" when !NginxValue.TryParseSize(value, out _, allowGiga: false) => $"invalid {name} \"{p}\"",
            "fastopen" when !NginxValue.TryParseDigits(value, out _) => $"invalid fastopen \"{p}\"",
            "ipv6only" when value is not ("on" or "off") => $"invalid ipv6only flags \"{value}\"",
            "so_keepalive" when value is not ("on" or "off") && !IsKeepalive(value) => $"invalid so_keepalive value: \"{value}\"",
            _ => null,
        };
    }

    // so_keepalive=[idle]:[intvl]:[cnt], times in seconds; not all three empty or zero.
    private static bool IsKeepalive(string value)
    {
        var parts = value.Split(':', 3);
        long idle = 0, interval = 0, count = 0;
        var ok = (parts[0].Length == 0 || NginxValue.ParseTime(parts[0], isSec: true, out idle) != NginxValue.TimeResult.Invalid)
            && (parts.Length < 2 || parts[1].Length == 0 || NginxValue.ParseTime(parts[1], isSec: true, out interval) != NginxValue.TimeResult.Invalid)
            && (parts.Length < 3 || parts[2].Length == 0 || NginxValue.TryParseDigits(parts[2], out count));
        return ok && (idle != 0 || interval != 0 || count != 0);
    }

    private static (IReadOnlyList<string> Addresses, string? Error) ParseAddress(string value)
    {
        if (value.StartsWith("unix:", StringComparison.OrdinalIgnoreCase))
        {
            return value.Length == 5 ? ([], "no path in the unix domain socket") : ([value], null);
        }

        if (value.StartsWith('['))
        {
            var close = value.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || !IPAddress.TryParse(value[1..close], out var v6))
            {
                return ([], "invalid IPv6 address");
            }

            var rest = value[(close + 1)..];
            var v6Port = rest.Length == 0 ? 80 : rest.StartsWith(':') ? Port(rest[1..]) : -1;
            return v6Port < 0 ? ([], "invalid port") : ([$"[{v6}]:{v6Port}"], null);
        }

        var colon = value.LastIndexOf(':');
        string host;
        int port;
        if (colon >= 0)
        {
            host = value[..colon];
            port = Port(value[(colon + 1)..]);
            if (port < 0)
            {
                return ([], "invalid port");
            }
        }
        else if (value.Length > 0 && value.All(char.IsAsciiDigit))
        {
            port = Port(value);
            if (port < 0)
            {
                return ([], "invalid port");
            }

            host = "*";
        }
        else
        {
            host = value;
            port = 80;
        }

        if (host is "*" or "")
        {
            return ([$"0.0.0.0:{port}"], null);
        }

        var resolved = HostResolver.Resolve(host).Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToArray();
        return resolved.Length == 0
            ? ([], "host not found")
            : ([.. resolved.Select(a => $"{a}:{port}").Distinct()], null);
    }

    private static int Port(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, null, out var n) && n is >= 1 and <= 65535 ? n : -1;
}

using NginxLite.Config.Binding;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>Checks of the shared-memory directives: limit_req(_zone), limit_conn(_zone), ssl_session_cache.</summary>
public static partial class ValueCheck
{
    /// <summary>Smallest shared zone nginx accepts: 8 pages of 4k.</summary>
    private const long MinZoneSize = 8 * 4096;

    /// <summary><c>limit_req_zone KEY zone=NAME:SIZE rate=Nr/s|Nr/m</c> and <c>limit_conn_zone KEY zone=NAME:SIZE</c>.</summary>
    public static DirectiveValueCheck LimitZone { get; } = (d, scope) =>
    {
        var named = false;
        foreach (var a in d.Arguments.Skip(1).Select(a => a.Value))
        {
            if (a.StartsWith("zone=", StringComparison.Ordinal))
            {
                var colon = a.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0 || !NginxValue.TryParseSize(a[(colon + 1)..], out var size, allowGiga: false))
                {
                    scope.Emerg(d, $"invalid zone size \"{a}\"");
                    return;
                }

                if (size < MinZoneSize)
                {
                    scope.Emerg(d, $"zone \"{a}\" is too small");
                    return;
                }

                named = colon > 5;
            }
            else if (d.Name == "limit_req_zone" && a.StartsWith("rate=", StringComparison.Ordinal))
            {
                var rate = a.EndsWith("r/s", StringComparison.Ordinal) || a.EndsWith("r/m", StringComparison.Ordinal) ? a[5..^3] : a[5..];
                if (!NginxValue.TryParseDigits(rate, out var n) || n == 0)
                {
                    scope.Emerg(d, $"invalid rate \"{a}\"");
                    return;
                }
            }
            else
            {
                scope.Emerg(d, $"invalid parameter \"{a}\"");
                return;
            }
        }

        if (!named)
        {
            scope.Emerg(d, $"\"{d.Name}\" must have \"zone\" parameter");
        }
    };

    /// <summary><c>limit_req zone=NAME [burst=N] [nodelay | delay=N]</c>.</summary>
    public static DirectiveValueCheck LimitReq { get; } = (d, scope) =>
    {
        var zone = false;
        foreach (var a in d.Arguments.Select(a => a.Value))
        {
            string? error = a switch
            {
                _ when a.StartsWith("zone=", StringComparison.Ordinal) => null,
                _ when a.StartsWith("burst=", StringComparison.Ordinal) => Positive(a[6..]) ? null : $"invalid burst value \"{a}\"",
                _ when a.StartsWith("delay=", StringComparison.Ordinal) => Positive(a[6..]) ? null : $"invalid delay value \"{a}\"",
                "nodelay" => null,
                _ => $"invalid parameter \"{a}\"",
            };
            if (error is not null)
            {
                scope.Emerg(d, error);
                return;
            }

            zone |= a.StartsWith("zone=", StringComparison.Ordinal);
        }

        if (!zone)
        {
            scope.Emerg(d, "\"limit_req\" must have \"zone\" parameter");
        }
    };

    /// <summary><c>limit_conn ZONE NUMBER</c>: 1..65535 connections.</summary>
    public static DirectiveValueCheck LimitConn { get; } = (d, scope) =>
    {
        if (!NginxValue.TryParseDigits(d.Arg(1), out var n) || n == 0)
        {
            scope.Emerg(d, $"invalid number of connections \"{d.Arg(1)}\"");
        }
        else if (n > 65535)
        {
            scope.Emerg(d, "connection limit must be less 65536");
        }
    };

    /// <summary><c>ssl_session_cache off | none | [builtin[:SIZE]] [shared:NAME:SIZE]</c> (ngx_http_ssl_session_cache).</summary>
    public static DirectiveValueCheck SslSessionCache { get; } = (d, scope) =>
    {
        foreach (var a in d.Arguments.Select(a => a.Value))
        {
            if (a is "off" or "none" or "builtin")
            {
                continue;
            }

            if (a.Length > 8 && a.StartsWith("builtin:", StringComparison.Ordinal) && NginxValue.TryParseDigits(a.AsSpan(8), out _))
            {
                continue;
            }

            var colon = a.Length > 7 && a.StartsWith("shared:", StringComparison.Ordinal) ? a.IndexOf(':', 7) : -1;
            if (colon > 7 && NginxValue.TryParseSize(a[(colon + 1)..], out var size, allowGiga: false))
            {
                if (size < MinZoneSize)
                {
                    scope.Emerg(d, $"session cache \"{a}\" is too small");
                    return;
                }

                continue;
            }

            scope.Emerg(d, $"invalid session cache \"{a}\"");
            return;
        }
    };

    /// <summary><c>keepalive N</c> in an upstream (ngx_http_upstream_keepalive): a positive number.</summary>
    public static DirectiveValueCheck UpstreamKeepalive { get; } = (d, scope) =>
    {
        if (!Positive(d.Arg(0)))
        {
            scope.Emerg(d, $"invalid value \"{d.Arg(0)}\" in \"{d.Name}\" directive");
        }
    };

    /// <summary><c>hash KEY [consistent]</c>.</summary>
    public static DirectiveValueCheck UpstreamHash { get; } = (d, scope) =>
    {
        if (d.Arguments.Count == 2 && d.Arg(1) != "consistent")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(1)}\"");
        }
    };

    /// <summary><c>random [two [least_conn]]</c>.</summary>
    public static DirectiveValueCheck UpstreamRandom { get; } = (d, scope) =>
    {
        var bad = d.Arguments.Count > 0 && d.Arg(0) != "two" ? d.Arg(0)
            : d.Arguments.Count > 1 && d.Arg(1) != "least_conn" ? d.Arg(1)
            : null;
        if (bad is not null)
        {
            scope.Emerg(d, $"invalid parameter \"{bad}\"");
        }
    };

    /// <summary><c>zone NAME [SIZE]</c> in an upstream.</summary>
    public static DirectiveValueCheck UpstreamZone { get; } = (d, scope) =>
    {
        if (d.Arguments.Count < 2)
        {
            return;
        }

        if (!NginxValue.TryParseSize(d.Arg(1), out var size, allowGiga: false))
        {
            scope.Emerg(d, $"invalid zone size \"{d.Arg(1)}\"");
        }
        else if (size < MinZoneSize)
        {
            scope.Emerg(d, $"zone \"{d.Arg(0)}\" is too small");
        }
    };

    private static bool Positive(string text) => NginxValue.TryParseDigits(text, out var n) && n > 0;
}

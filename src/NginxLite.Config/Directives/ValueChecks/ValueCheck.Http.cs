using System.Net;
using NginxLite.Config.Binding;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>Checks of the http directives that have their own setters in nginx (core, rewrite, headers, index, access, log).</summary>
public static partial class ValueCheck
{
    /// <summary>ngx_http_core_limit_except's method names (case-insensitive).</summary>
    private static readonly string[] Methods =
        ["GET", "HEAD", "POST", "PUT", "DELETE", "MKCOL", "COPY", "MOVE", "OPTIONS", "PROPFIND", "PROPPATCH", "LOCK", "UNLOCK"];

    /// <summary><c>error_page CODE… [=[RESPONSE]] URI</c> (ngx_http_core_error_page).</summary>
    public static DirectiveValueCheck ErrorPage { get; } = (d, scope) =>
    {
        var n = d.Arguments.Count;
        var last = n - 1;
        var codesEnd = last;
        var answer = d.Arg(n - 2);
        if (answer.StartsWith('='))
        {
            if (n == 2 || (answer.Length > 1 && !NginxValue.TryParseDigits(answer.AsSpan(1), out _)))
            {
                scope.Emerg(d, $"invalid value \"{answer}\"");
                return;
            }

            codesEnd = n - 2;
        }

        for (var i = 0; i < codesEnd; i++)
        {
            var code = d.Arg(i);
            if (!NginxValue.TryParseDigits(code, out var status) || status == 499)
            {
                scope.Emerg(d, $"invalid value \"{code}\"");
                return;
            }

            if (status is < 300 or > 599)
            {
                scope.Emerg(d, $"value \"{code}\" must be between 300 and 599");
                return;
            }
        }
    };

    /// <summary><c>return CODE [TEXT|URL]</c> or <c>return URL</c> (ngx_http_rewrite_return).</summary>
    public static DirectiveValueCheck Return { get; } = (d, scope) =>
    {
        var v = d.Arg(0);
        var ok = NginxValue.TryParseDigits(v, out var status)
            ? status <= 999
            : d.Arguments.Count == 1 && (v.StartsWith("http://", StringComparison.Ordinal)
                || v.StartsWith("https://", StringComparison.Ordinal) || v.StartsWith("$scheme", StringComparison.Ordinal));
        if (!ok)
        {
            scope.Emerg(d, $"invalid return code \"{v}\"");
        }
    };

    /// <summary><c>rewrite REGEX REPLACEMENT [FLAG]</c> (ngx_http_rewrite): empty replacement, the regex, then the flag.</summary>
    public static DirectiveValueCheck Rewrite { get; } = (d, scope) =>
    {
        if (d.Arg(1).Length == 0)
        {
            scope.Emerg(d, "empty replacement");
            return;
        }

        if (!Compile(d, scope, d.Arg(0), ignoreCase: false))
        {
            return;
        }

        if (d.Arguments.Count == 3 && d.Arg(2) is not ("last" or "break" or "redirect" or "permanent"))
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(2)}\"");
        }
    };

    /// <summary><c>expires [modified] TIME|@TIME|epoch|max|off</c> (ngx_http_headers_expires).</summary>
    public static DirectiveValueCheck Expires { get; } = (d, scope) =>
    {
        var modified = d.Arguments.Count == 2;
        if (modified && d.Arg(0) != "modified")
        {
            DirectiveSays(d, scope, "invalid value");
            return;
        }

        var v = d.Arg(modified ? 1 : 0);
        if ((!modified && v is "epoch" or "max" or "off") || NginxValue.HasVariable(v))
        {
            return;
        }

        var daily = v.StartsWith('@');
        if (daily && modified)
        {
            DirectiveSays(d, scope, "daily time cannot be used with \"modified\" parameter");
            return;
        }

        var time = v.Length > 0 && v[0] is '@' or '+' or '-' ? v[1..] : v;
        if (NginxValue.ParseTime(time, isSec: true, out var seconds) == NginxValue.TimeResult.Invalid)
        {
            DirectiveSays(d, scope, "invalid value");
        }
        else if (daily && seconds > 24 * 60 * 60)
        {
            DirectiveSays(d, scope, "daily time value must be less than 24 hours");
        }
    };

    /// <summary><c>keepalive_timeout TIMEOUT [HEADER_TIMEOUT]</c>: the first in msec, the second in seconds (ngx_http_core_keepalive).</summary>
    public static DirectiveValueCheck KeepaliveTimeout { get; } = (d, scope) =>
    {
        var first = NginxValue.ParseTime(d.Arg(0), isSec: false, out _);
        var second = d.Arguments.Count > 1 ? NginxValue.ParseTime(d.Arg(1), isSec: true, out _) : NginxValue.TimeResult.Valid;
        if (first == NginxValue.TimeResult.Invalid || (first == NginxValue.TimeResult.Valid && second == NginxValue.TimeResult.Invalid))
        {
            DirectiveSays(d, scope, "invalid value");
        }
        else if (first == NginxValue.TimeResult.Large)
        {
            DirectiveSays(d, scope, "value must be less than 597 hours");
        }
        else if (second == NginxValue.TimeResult.Large)
        {
            DirectiveSays(d, scope, "value must be less than 68 years");
        }
    };

    /// <summary><c>limit_except METHOD… { }</c>.</summary>
    public static DirectiveValueCheck LimitExcept { get; } = (d, scope) =>
    {
        var bad = d.Arguments.FirstOrDefault(a => !Methods.Contains(a.Value, StringComparer.OrdinalIgnoreCase));
        if (bad is not null)
        {
            scope.Emerg(d, $"invalid method \"{bad.Value}\"");
        }
    };

    /// <summary><c>allow|deny ADDRESS[/LEN]|unix:|all</c> (ngx_http_access_rule with ngx_ptocidr).</summary>
    public static DirectiveValueCheck AccessRule { get; } = (d, scope) =>
    {
        var v = d.Arg(0);
        if (v is "all" or "unix:")
        {
            return;
        }

        switch (Cidr.Parse(v))
        {
            case Cidr.Result.Invalid:
                scope.Emerg(d, $"invalid parameter \"{v}\"");
                break;
            case Cidr.Result.HostBits:
                scope.Warn(d, $"low address bits of {v} are meaningless");
                break;
        }
    };

    /// <summary><c>index FILE…</c> (ngx_http_index_set_index; nginx names the first file whichever is empty).</summary>
    public static DirectiveValueCheck Index { get; } = (d, scope) =>
    {
        for (var i = 0; i < d.Arguments.Count; i++)
        {
            var v = d.Arg(i);
            if (v.StartsWith('/') && i != d.Arguments.Count - 1)
            {
                scope.Warn(d, "only the last index in \"index\" directive should be absolute");
            }

            if (v.Length == 0)
            {
                scope.Emerg(d, $"index \"{d.Arg(0)}\" in \"index\" directive is invalid");
                return;
            }
        }
    };

    /// <summary><c>add_header NAME VALUE [always]</c>.</summary>
    public static DirectiveValueCheck AddHeader { get; } = (d, scope) =>
    {
        if (d.Arguments.Count == 3 && d.Arg(2) != "always")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(2)}\"");
        }
    };

    /// <summary><c>directio SIZE|off</c>.</summary>
    public static DirectiveValueCheck Directio { get; } = (d, scope) =>
    {
        if (d.Arg(0) != "off" && !NginxValue.TryParseSize(d.Arg(0), out _))
        {
            InvalidValue(d, scope);
        }
    };

    /// <summary><c>open_file_cache max=N [inactive=TIME] | off</c>.</summary>
    public static DirectiveValueCheck OpenFileCache { get; } = (d, scope) =>
    {
        long max = 0;
        var off = false;
        foreach (var a in d.Arguments.Select(a => a.Value))
        {
            var ok = a.StartsWith("max=", StringComparison.Ordinal) ? NginxValue.TryParseDigits(a.AsSpan(4), out max)
                : a.StartsWith("inactive=", StringComparison.Ordinal) ? NginxValue.ParseTime(a[9..], isSec: true, out _) != NginxValue.TimeResult.Invalid
                : a == "off" && (off = true);
            if (!ok)
            {
                scope.Emerg(d, $"invalid \"open_file_cache\" parameter \"{a}\"");
                return;
            }
        }

        if (!off && max == 0)
        {
            scope.Emerg(d, "\"open_file_cache\" must have the \"max\" parameter");
        }
    };

    /// <summary><c>access_log PATH [FORMAT [buffer=SIZE] [gzip[=LEVEL]] [flush=TIME] [if=COND]]</c> or <c>off</c> (ngx_http_log_set_log).</summary>
    public static DirectiveValueCheck AccessLog { get; } = (d, scope) =>
    {
        if (d.Arg(0) == "off")
        {
            if (d.Arguments.Count > 1)
            {
                scope.Emerg(d, $"invalid parameter \"{d.Arg(1)}\"");
            }

            return;
        }

        long buffer = 0;
        var flush = false;
        foreach (var a in d.Arguments.Skip(2).Select(a => a.Value))
        {
            if (a.StartsWith("buffer=", StringComparison.Ordinal))
            {
                if (!NginxValue.TryParseSize(a[7..], out buffer, allowGiga: false) || buffer == 0)
                {
                    scope.Emerg(d, $"invalid buffer size \"{a[7..]}\"");
                    return;
                }
            }
            else if (a.StartsWith("flush=", StringComparison.Ordinal))
            {
                if (NginxValue.ParseTime(a[6..], isSec: false, out var ms) == NginxValue.TimeResult.Invalid || ms == 0)
                {
                    scope.Emerg(d, $"invalid flush time \"{a[6..]}\"");
                    return;
                }

                flush = true;
            }
            else if (a.StartsWith("gzip", StringComparison.Ordinal) && (a.Length == 4 || a[4] == '='))
            {
                if (a.Length > 4 && !(NginxValue.TryParseDigits(a.AsSpan(5), out var level) && level is >= 1 and <= 9))
                {
                    scope.Emerg(d, $"invalid compression level \"{a[5..]}\"");
                    return;
                }
            }
            else if (!a.StartsWith("if=", StringComparison.Ordinal))
            {
                scope.Emerg(d, $"invalid parameter \"{a}\"");
                return;
            }
        }

        if (flush && buffer == 0)
        {
            scope.Emerg(d, $"no buffer is defined for access_log \"{d.Arg(0)}\"");
        }
    };

    /// <summary><c>root</c> and <c>alias</c> (ngx_http_core_root): no alias in a named location, no path variables.</summary>
    public static DirectiveValueCheck Root { get; } = (d, scope) =>
    {
        if (d.Name == "alias" && d.Parent is { Name: "location" } location && location.Arguments.Count == 1 && location.Arg(0).StartsWith('@'))
        {
            scope.Emerg(d, "the \"alias\" directive cannot be used inside the named location");
            return;
        }

        foreach (var variable in new[] { "document_root", "realpath_root" })
        {
            var v = d.Arg(0);
            if (v.Contains($"${variable}", StringComparison.Ordinal) || v.Contains($"${{{variable}}}", StringComparison.Ordinal))
            {
                scope.Emerg(d, $"the ${variable} variable cannot be used in the \"{d.Name}\" directive");
                return;
            }
        }
    };

    /// <summary><c>try_files FILE… =CODE</c>: the code is a number up to 999 (ngx_http_core_try_files).</summary>
    public static DirectiveValueCheck TryFiles { get; } = (d, scope) =>
    {
        var last = d.Arg(d.Arguments.Count - 1);
        if (last.StartsWith('=') && !(NginxValue.TryParseDigits(last.AsSpan(1), out var code) && code <= 999))
        {
            scope.Emerg(d, $"invalid code \"{last}\"");
        }
    };

    /// <summary><c>set $VARIABLE VALUE</c> (ngx_http_rewrite_set).</summary>
    public static DirectiveValueCheck Set { get; } = (d, scope) =>
    {
        if (!d.Arg(0).StartsWith('$'))
        {
            scope.Emerg(d, $"invalid variable name \"{d.Arg(0)}\"");
        }
    };

    /// <summary><c>fastcgi_param NAME VALUE [if_not_empty]</c> and its uwsgi/scgi twins.</summary>
    public static DirectiveValueCheck Param { get; } = (d, scope) =>
    {
        if (d.Arguments.Count == 3 && d.Arg(2) != "if_not_empty")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(2)}\"");
        }
    };

    /// <summary><c>proxy_cookie_domain|path off</c> or two arguments (ngx_http_proxy_cookie_domain/path).</summary>
    public static DirectiveValueCheck CookieRewrite { get; } = (d, scope) =>
    {
        if (d.Arguments.Count == 1 && d.Arg(0) != "off")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(0)}\"");
        }
    };

    /// <summary>
    /// <c>proxy_redirect default|off|FROM TO</c>: nothing may follow <c>off</c> and <c>off</c> may follow nothing in one block;
    /// <c>default</c> needs an earlier <c>proxy_pass</c> in the same block.
    /// </summary>
    public static DirectiveValueCheck ProxyRedirect { get; } = (d, scope) =>
    {
        var earlier = d.Parent?.Children.TakeWhile(c => c != d).Where(c => c.Name == d.Name).ToList() ?? [];
        var off = d.Arguments.Count == 1 && d.Arg(0) == "off";
        if (earlier.Any(e => e.Arguments.Count == 1 && e.Arg(0) == "off") || (off && earlier.Count > 0))
        {
            scope.Emerg(d, Binding.BinderMessages.Duplicate(d.Name));
            return;
        }

        if (d.Arguments.Count != 1 || off)
        {
            return;
        }

        if (d.Arg(0) != "default")
        {
            scope.Emerg(d, $"invalid parameter \"{d.Arg(0)}\"");
        }
        else if (d.Parent is not { } parent || !parent.Children.TakeWhile(c => c != d).Any(c => c.Name == "proxy_pass"))
        {
            scope.Emerg(d, "\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive");
        }
    };

    /// <summary><c>set_real_ip_from CIDR|HOST|unix:</c>: a host name is resolved (ngx_http_realip_from).</summary>
    public static DirectiveValueCheck RealIpFrom { get; } = (d, scope) =>
    {
        var v = d.Arg(0);
        if (v == "unix:")
        {
            return;
        }

        switch (Cidr.Parse(v))
        {
            case Cidr.Result.HostBits:
                scope.Warn(d, $"low address bits of {v} are meaningless");
                break;
            case Cidr.Result.Invalid when Validation.Checks.HostResolver.Resolve(v).Length == 0:
                scope.Emerg(d, $"host not found in set_real_ip_from \"{v}\"");
                break;
        }
    };

    /// <summary><c>log_format NAME [escape=default|json|none] STRING…</c>.</summary>
    public static DirectiveValueCheck LogFormat { get; } = (d, scope) =>
    {
        if (d.Arguments.Count > 1 && d.Arg(1).StartsWith("escape=", StringComparison.Ordinal) && d.Arg(1)[7..] is not ("default" or "json" or "none"))
        {
            scope.Emerg(d, $"unknown log format escaping \"{d.Arg(1)[7..]}\"");
        }
    };

    /// <summary><c>gzip_disable REGEX…</c>: caseless regexes; <c>msie6</c> is built in (nginx only looks at the first argument for it).</summary>
    public static DirectiveValueCheck GzipDisable { get; } = (d, scope) =>
    {
        if (d.Arg(0) != "msie6")
        {
            foreach (var a in d.Arguments)
            {
                if (!Compile(d, scope, a.Value, ignoreCase: true))
                {
                    return;
                }
            }
        }
    };

    /// <summary><c>connection_pool_size</c>, <c>request_pool_size</c>: ngx_http_core_pool_size.</summary>
    public static DirectiveValueCheck PoolSize { get; } = (d, scope) =>
    {
        if (!NginxValue.TryParseSize(d.Arg(0), out var size, allowGiga: false))
        {
            InvalidValue(d, scope);
        }
        else if (size < 112)
        {
            scope.Emerg(d, "the pool size must be no less than 112");
        }
        else if (size % 16 != 0)
        {
            scope.Emerg(d, "the pool size must be a multiple of 16");
        }
    };

    /// <summary>
    /// <c>valid_referers none|blocked|server_names|HOST[/URI]|~REGEX…</c> (ngx_http_valid_referers): a host already in the
    /// block's referer hash (earlier <c>valid_referers</c> of the block; keys are lower-cased, <c>.a.com</c> holds both
    /// <c>a.com</c> and <c>*.a.com</c>) is a <c>conflicting parameter</c>. <c>server_names</c>: see RefererMergeCheck.
    /// </summary>
    public static DirectiveValueCheck ValidReferers { get; } = (d, scope) =>
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in d.Parent?.Children.TakeWhile(c => c != d).Where(c => c.Name == d.Name) ?? [])
        {
            foreach (var v in e.Arguments.Select(a => a.Value))
            {
                foreach (var host in RefererHosts(v))
                {
                    AddRefererKeys(keys, host);
                }
            }
        }

        foreach (var v in d.Arguments.Select(a => a.Value))
        {
            foreach (var host in RefererHosts(v))
            {
                if (!AddRefererKeys(keys, host))
                {
                    scope.Emerg(d, $"conflicting parameter \"{host}\"");
                    return;
                }
            }
        }
    };

    /// <summary>The hash keys one <c>valid_referers</c> argument adds, host part only, lower case (<c>server_names</c> adds its keys at merge time).</summary>
    public static IEnumerable<string> RefererHosts(string v)
    {
        if (v is "none" or "blocked" or "server_names" or "" || v[0] == '~')
        {
            return [];
        }

        var slash = v.IndexOf('/', StringComparison.Ordinal);
        return [(slash >= 0 ? v[..slash] : v).ToLowerInvariant()];
    }

    /// <summary>ngx_hash_add_key with NGX_HASH_WILDCARD_KEY: false when a key is taken.</summary>
    public static bool AddRefererKeys(HashSet<string> keys, string host)
    {
        string[] added = host.StartsWith('.') ? [host[1..], "*" + host] : [host];
        if (added.Any(keys.Contains))
        {
            return false;
        }

        keys.UnionWith(added);
        return true;
    }

    /// <summary><c>proxy_cache_valid [CODE…|any] TIME</c> and its twins (ngx_http_file_cache_valid_set_slot).</summary>
    public static DirectiveValueCheck CacheValid { get; } = (d, scope) =>
    {
        var time = d.Arg(d.Arguments.Count - 1);
        if (NginxValue.ParseTime(time, isSec: true, out _) == NginxValue.TimeResult.Invalid)
        {
            scope.Emerg(d, $"invalid time value \"{time}\"");
            return;
        }

        var bad = d.Arguments.SkipLast(1).Select(a => a.Value)
            .FirstOrDefault(v => v != "any" && !(NginxValue.TryParseDigits(v, out var status) && status is >= 100 and <= 599));
        if (bad is not null)
        {
            scope.Emerg(d, $"invalid status \"{bad}\"");
        }
    };

    /// <summary><c>ngx_ptocidr</c>: an IPv4 or IPv6 address with an optional prefix length.</summary>
    private static class Cidr
    {
        public enum Result
        {
            Valid,
            Invalid,

            /// <summary><c>NGX_DONE</c>: bits set past the prefix (nginx warns and masks them).</summary>
            HostBits,
        }

        public static Result Parse(string text)
        {
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            var address = slash < 0 ? text : text[..slash];
            byte[] bytes;
            if (address.Contains(':', StringComparison.Ordinal))
            {
                if (address.Any(c => !(char.IsAsciiHexDigit(c) || c is ':' or '.')) || !IPAddress.TryParse(address, out var v6))
                {
                    return Result.Invalid;
                }

                bytes = v6.GetAddressBytes();
            }
            else if (!TryParseIPv4(address, out bytes))
            {
                return Result.Invalid;
            }

            if (slash < 0)
            {
                return Result.Valid;
            }

            if (!NginxValue.TryParseDigits(text.AsSpan(slash + 1), out var prefix) || prefix > bytes.Length * 8)
            {
                return Result.Invalid;
            }

            for (var bit = (int)prefix; bit < bytes.Length * 8; bit++)
            {
                if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
                {
                    return Result.HostBits;
                }
            }

            return Result.Valid;
        }

        // ngx_inet_addr: four dot-separated decimal octets up to 255; an empty octet counts as 0.
        private static bool TryParseIPv4(string text, out byte[] bytes)
        {
            bytes = new byte[4];
            int octet = 0, index = 0;
            foreach (var c in text)
            {
                if (char.IsAsciiDigit(c))
                {
                    octet = (octet * 10) + (c - '0');
                    if (octet > 255)
                    {
                        return false;
                    }
                }
                else if (c == '.' && index < 3)
                {
                    bytes[index++] = (byte)octet;
                    octet = 0;
                }
                else
                {
                    return false;
                }
            }

            bytes[index] = (byte)octet;
            return index == 3 && text.Length > 0;
        }
    }
}

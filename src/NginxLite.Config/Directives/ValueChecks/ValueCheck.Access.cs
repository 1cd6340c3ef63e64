using System.Net;
using NginxLite.Config.Binding;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>Address checks: allow/deny, set_real_ip_from (ngx_ptocidr), valid_referers hash keys.</summary>
public static partial class ValueCheck
{
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

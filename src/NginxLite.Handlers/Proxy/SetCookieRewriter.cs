using System.Text;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.Proxy;

/// <summary>
/// proxy_cookie_domain, proxy_cookie_path and proxy_cookie_flags on one upstream <c>Set-Cookie</c> value, as
/// ngx_http_proxy_rewrite_cookie does (nginx 1.19.3+): the value is split at <c>;</c> into trimmed <c>name[=value]</c>
/// attributes; the first matching rule of each kind edits them; when anything changed the header is rebuilt joined by
/// <c>"; "</c>, otherwise it is passed as sent. A first attribute without <c>=</c> is not a cookie and is left alone.
/// </summary>
internal static class SetCookieRewriter
{
    // ngx_http_proxy_cookie_flags_masks.
    [Flags]
    private enum CookieFlag
    {
        None = 0,
        Secure = 1,
        NoSecure = 2,
        HttpOnly = 4,
        NoHttpOnly = 8,
        Strict = 16,
        Lax = 32,
        SameSiteNone = 64,
        NoSameSite = 128,
    }

    private sealed class Attribute(string? key, string? value)
    {
        public string? Key { get; set; } = key;

        public string? Value { get; set; } = value;
    }

    /// <summary>The rewritten value, or null when no rule applied (the header then goes out unchanged).</summary>
    public static string? Rewrite(string header, IUpstreamRequest request, ProxySettings settings)
    {
        var attrs = Parse(header);
        if (attrs[0].Value is null)
        {
            return null;
        }

        var changed = false;
        for (var i = 1; i < attrs.Count; i++)
        {
            var attr = attrs[i];
            if (attr.Value is null)
            {
                continue;
            }

            if (settings.CookieDomains.Length > 0 && attr.Key!.Equals("domain", StringComparison.OrdinalIgnoreCase))
            {
                changed |= RewriteValue(attr, settings.CookieDomains, request, domain: true);
            }

            if (settings.CookiePaths.Length > 0 && attr.Key!.Equals("path", StringComparison.OrdinalIgnoreCase))
            {
                changed |= RewriteValue(attr, settings.CookiePaths, request, domain: false);
            }
        }

        if (settings.CookieFlags.Length > 0 && Flags(attrs[0].Key!, settings.CookieFlags, request) is var flags and not CookieFlag.None)
        {
            EditFlags(attrs, flags);
            changed = true;
        }

        if (!changed)
        {
            return null;
        }

        var sb = new StringBuilder(header.Length + 32);
        for (var i = 0; i < attrs.Count; i++)
        {
            if (attrs[i].Key is not { } key)
            {
                continue;
            }

            if (i > 0)
            {
                sb.Append("; ");
            }

            sb.Append(key);
            if (attrs[i].Value is { } value)
            {
                sb.Append('=').Append(value);
            }
        }

        return sb.ToString();
    }

    // ngx_http_proxy_parse_cookie: spaces (only) trimmed around names and values; "a" has no value, "a=" an empty one.
    private static List<Attribute> Parse(string header)
    {
        var attrs = new List<Attribute>(4);
        foreach (var part in header.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? part : part[..eq]).Trim(' ');
            attrs.Add(new Attribute(name, eq < 0 ? null : part[(eq + 1)..].Trim(' ')));
        }

        return attrs;
    }

    // ngx_http_proxy_rewrite_cookie_value: the first rule that matches wins.
    private static bool RewriteValue(Attribute attr, ProxyCookieRewrite[] rules, IUpstreamRequest request, bool domain)
    {
        var value = attr.Value!;
        foreach (var rule in rules)
        {
            if (rule.Regex is { } regex)
            {
                // ngx_http_proxy_rewrite_regex_handler: the replacement takes the whole value.
                if (regex.Match(value, request))
                {
                    attr.Value = rule.Replacement.Evaluate(request);
                    return true;
                }

                continue;
            }

            var pattern = rule.Pattern!.Evaluate(request);
            if (domain)
            {
                // ngx_http_proxy_rewrite_domain_handler: a leading dot of the value is kept and not compared.
                var dot = value.StartsWith('.') ? 1 : 0;
                if (value.Length - dot == pattern.Length && value.AsSpan(dot).Equals(pattern, StringComparison.OrdinalIgnoreCase))
                {
                    attr.Value = value[..dot] + rule.Replacement.Evaluate(request);
                    return true;
                }
            }
            else if (value.StartsWith(pattern, StringComparison.Ordinal))
            {
                // ngx_http_proxy_rewrite_complex_handler: a prefix, replaced.
                attr.Value = rule.Replacement.Evaluate(request) + value[pattern.Length..];
                return true;
            }
        }

        return false;
    }

    // ngx_http_proxy_rewrite_cookie_flags: the first rule naming the cookie; its flags evaluated, unknown ones skipped.
    private static CookieFlag Flags(string cookie, ProxyCookieFlags[] rules, IUpstreamRequest request)
    {
        foreach (var rule in rules)
        {
            var match = rule.Regex is { } regex
                ? regex.Match(cookie, request)
                : cookie.Equals(rule.Name!.Evaluate(request), StringComparison.OrdinalIgnoreCase);
            if (!match)
            {
                continue;
            }

            var flags = CookieFlag.None;
            foreach (var value in rule.Flags)
            {
                flags |= FlagOf(value.Evaluate(request));
            }

            return flags;
        }

        return CookieFlag.None;
    }

    // ngx_http_proxy_cookie_flags_masks, compared caselessly (no lower-cased copy per flag and cookie).
    private static CookieFlag FlagOf(string text)
    {
        foreach (var (name, flag) in FlagNames)
        {
            if (text.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return flag;
            }
        }

        return CookieFlag.None;
    }

    private static readonly (string Name, CookieFlag Flag)[] FlagNames =
    [
        ("secure", CookieFlag.Secure), ("nosecure", CookieFlag.NoSecure), ("httponly", CookieFlag.HttpOnly),
        ("nohttponly", CookieFlag.NoHttpOnly), ("samesite=strict", CookieFlag.Strict), ("samesite=lax", CookieFlag.Lax),
        ("samesite=none", CookieFlag.SameSiteNone), ("nosamesite", CookieFlag.NoSameSite),
    ];

    /// <summary>The SameSite values in nginx's order of precedence (Strict, Lax, None).</summary>
    private static readonly (CookieFlag Flag, string Text)[] SameSiteValues =
        [(CookieFlag.Strict, "Strict"), (CookieFlag.Lax, "Lax"), (CookieFlag.SameSiteNone, "None")];

    // ngx_http_proxy_edit_cookie_flags: present attributes are kept, normalized or removed; missing ones appended.
    private static void EditFlags(List<Attribute> attrs, CookieFlag flags)
    {
        for (var i = 1; i < attrs.Count; i++)
        {
            var attr = attrs[i];
            if (attr.Key is not { } key)
            {
                continue;
            }

            if (key.Equals("secure", StringComparison.OrdinalIgnoreCase))
            {
                flags = OnOff(attr, flags, CookieFlag.Secure, CookieFlag.NoSecure);
            }
            else if (key.Equals("httponly", StringComparison.OrdinalIgnoreCase))
            {
                flags = OnOff(attr, flags, CookieFlag.HttpOnly, CookieFlag.NoHttpOnly);
            }
            else if (key.Equals("samesite", StringComparison.OrdinalIgnoreCase))
            {
                flags = SameSite(attr, flags);
            }
        }

        if ((flags & CookieFlag.Secure) != 0)
        {
            attrs.Add(new Attribute("Secure", null));
        }

        if ((flags & CookieFlag.HttpOnly) != 0)
        {
            attrs.Add(new Attribute("HttpOnly", null));
        }

        if ((flags & (CookieFlag.Strict | CookieFlag.Lax | CookieFlag.SameSiteNone)) != 0)
        {
            var value = (flags & CookieFlag.Strict) != 0 ? "Strict" : (flags & CookieFlag.Lax) != 0 ? "Lax" : "None";
            attrs.Add(new Attribute("SameSite", value));
        }
    }

    private static CookieFlag OnOff(Attribute attr, CookieFlag flags, CookieFlag on, CookieFlag off)
    {
        if ((flags & on) != 0)
        {
            return flags & ~on;
        }

        if ((flags & off) != 0)
        {
            attr.Key = null;
        }

        return flags;
    }

    private static CookieFlag SameSite(Attribute attr, CookieFlag flags)
    {
        foreach (var (flag, text) in SameSiteValues)
        {
            if ((flags & flag) != 0)
            {
                if (!string.Equals(attr.Value, text, StringComparison.OrdinalIgnoreCase))
                {
                    attr.Key = "SameSite";
                    attr.Value = text;
                }

                return flags & ~flag;
            }
        }

        if ((flags & CookieFlag.NoSameSite) != 0)
        {
            attr.Key = null;
        }

        return flags;
    }
}

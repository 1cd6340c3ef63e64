namespace NginxLite.Routing.Settings;

/// <summary>
/// The scheme part of a <c>uwsgi_pass</c> target. ngx_http_uwsgi_pass (for a literal) and ngx_http_uwsgi_eval (for a
/// target with variables, per request) both cut "uwsgi://" or "suwsgi://" compared case-insensitively; "suwsgi://"
/// turns TLS on. Anything else is an address or an upstream name as written.
/// </summary>
public static class UwsgiTarget
{
    /// <summary>The target without its scheme, and whether the scheme was suwsgi://.</summary>
    public static (string Target, bool Tls) StripScheme(string target)
    {
        if (target.StartsWith("uwsgi://", StringComparison.OrdinalIgnoreCase))
        {
            return (target["uwsgi://".Length..], false);
        }

        if (target.StartsWith("suwsgi://", StringComparison.OrdinalIgnoreCase))
        {
            return (target["suwsgi://".Length..], true);
        }

        return (target, false);
    }
}

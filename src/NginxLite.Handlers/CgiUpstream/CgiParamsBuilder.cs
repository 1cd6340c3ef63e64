using System.Text;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// The parameters sent to a FastCGI or uwsgi application, as ngx_http_fastcgi_create_request builds them: every
/// <c>*_param</c> in order (an <c>if_not_empty</c> one only when its value is not empty), then, with
/// <c>*_pass_request_headers on</c>, each request header as <c>HTTP_NAME</c> (upper case, '-' → '_') unless a
/// parameter of that name was configured. An <c>HTTP_</c> parameter configured with an empty value hides its header
/// and is itself not sent (ngx_http_fastcgi_init_params, ngx_http_uwsgi_init_params).
/// </summary>
internal static class CgiParamsBuilder
{
    public static List<KeyValuePair<string, string>> Build(IUpstreamRequest request, CgiUpstreamSettings settings, string? skipHeader)
    {
        var list = new List<KeyValuePair<string, string>>(settings.Params.Length + 16);
        HashSet<string>? configuredHttp = null;
        foreach (var p in settings.Params)
        {
            // A configured HTTP_X hides the header X even when it is skipped as empty: nginx builds that list from the
            // param names (ngx_http_fastcgi_init_params), which is how app_pass drops HTTP_PROXY (httpoxy).
            if (p.Name.StartsWith("HTTP_", StringComparison.Ordinal))
            {
                (configuredHttp ??= new(StringComparer.Ordinal)).Add(p.Name);
                if (p.Value.Source.Length == 0)
                {
                    // `fastcgi_param HTTP_PROXY "";` only hides the header: nginx sends no such param at all (its
                    // init_params skips an HTTP_ param whose configured value is empty), where this sent HTTP_PROXY="".
                    continue;
                }
            }

            var value = p.Value.Evaluate(request);
            if (p.IfNotEmpty && value.Length == 0)
            {
                continue;
            }

            list.Add(new(p.Name, value));
        }

        if (!settings.PassRequestHeaders)
        {
            return list;
        }

        var sb = new StringBuilder(64);
        foreach (var (name, values) in request.Features.Get<IHttpRequestFeature>()!.Headers)
        {
            if (skipHeader is not null && string.Equals(name, skipHeader, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            sb.Clear().Append("HTTP_");
            foreach (var c in name)
            {
                sb.Append(c == '-' ? '_' : char.ToUpperInvariant(c));
            }

            var key = sb.ToString();
            if (configuredHttp?.Contains(key) == true)
            {
                continue;
            }

            // nginx 1.22 sends a repeated header once per line; Kestrel has joined them (", " as later nginx does).
            list.Add(new(key, values.Count == 1 ? values[0] ?? "" : string.Join(", ", values.ToArray())));
        }

        return list;
    }
}

namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// httpoxy (CVE-2016-5385, https://httpoxy.org): with <c>fastcgi_pass</c>/<c>uwsgi_pass</c>/<c>scgi_pass</c>, nginx
/// (and NginxLite's handlers, CgiParamsBuilder, which do the same) sends every request header as a parameter, so a
/// client's <c>Proxy:</c> header arrives as <c>HTTP_PROXY</c>, which many HTTP client libraries read as their proxy.
/// Only a parameter of that name in the location's effective set (e.g. <c>fastcgi_param HTTP_PROXY "";</c>, nginx's
/// own advice) or <c>*_pass_request_headers off</c> stops it. NginxLite's <c>cgi</c> and <c>app_pass</c> never pass
/// it, and <c>proxy_pass</c> forwards it as a header, not a variable, so those are not findings.
/// </summary>
internal sealed class HttpoxyCheck : ISecurityCheck
{
    private static readonly string[] Modules = ["fastcgi", "uwsgi", "scgi"];

    public string Id => "httpoxy";

    public void Run(LintContext context)
    {
        foreach (var module in Modules)
        {
            foreach (var pass in context.All(module + "_pass"))
            {
                if (pass.Parent is not { } level)
                {
                    continue;
                }

                if (Inherited.Value(level, module + "_pass_request_headers")?.Arg(0).Equals("off", StringComparison.OrdinalIgnoreCase) == true)
                {
                    continue;
                }

                var parameters = Inherited.Array(level, module + "_param");
                if (parameters.Any(p => p.Arg(0).Equals("HTTP_PROXY", StringComparison.Ordinal)))
                {
                    continue;
                }

                context.Report(this, pass, $"{pass.Name} passes the client's \"Proxy\" header as HTTP_PROXY, which HTTP client libraries take as their proxy (httpoxy): add {module}_param HTTP_PROXY \"\";");
            }
        }
    }
}

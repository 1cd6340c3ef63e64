using NginxLite.Config.Validation.Security.Values;

namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// gixy's <c>host_spoofing</c>: <c>$http_host</c> is the Host header exactly as the client sent it, even when the
/// request line carries an absolute URI naming another host (RFC 9112 §3.2.2), while <c>$host</c> is the validated
/// name nginx routed by. <c>proxy_set_header Host $http_host</c> (or <c>$arg_*</c>) hands the backend a spoofed
/// host (password-reset links, cache poisoning); in a redirect (<c>return</c>, <c>rewrite</c>) or in
/// <c>proxy_pass</c>'s path it sends users or requests wherever the client says.
/// </summary>
internal sealed class HostSpoofingCheck : ISecurityCheck
{
    public string Id => "host-spoofing";

    public void Run(LintContext context)
    {
        foreach (var node in context.All("proxy_set_header"))
        {
            var value = node.Arg(1);
            if (node.Arg(0).Equals("Host", StringComparison.OrdinalIgnoreCase)
                && (value == "$http_host" || value.StartsWith("$arg_", StringComparison.Ordinal)))
            {
                context.Report(this, node, $"proxy_set_header Host {value} passes a client-chosen Host to the backend; use $host");
            }
        }

        foreach (var node in context.All("return").Concat(context.All("rewrite")).Concat(context.All("proxy_pass")))
        {
            var value = node.Name switch
            {
                "return" => HttpSplittingCheck.ReturnLocation(node),
                "rewrite" => HttpSplittingCheck.RewriteLocation(node),
                _ => node.Arg(0),
            };
            if (value is not null && ScriptPart.Split(value).Any(p => p.Variable == "http_host"))
            {
                var what = node.Name == "proxy_pass" ? "builds the upstream URL from" : "redirects to";
                context.Report(this, node, $"{node.Name} {what} $http_host, the Host header as the client sent it; use $host");
            }
        }
    }
}

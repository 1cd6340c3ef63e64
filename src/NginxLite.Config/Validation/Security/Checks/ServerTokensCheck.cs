namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// <c>server_tokens on</c> puts the exact version in every Server header and error page, telling a scanner which
/// CVEs to try (ngx_http_core_module: server_tokens). Only an explicit "on" is flagged.
/// </summary>
internal sealed class ServerTokensCheck : ISecurityCheck
{
    public string Id => "server-tokens";

    public void Run(LintContext context)
    {
        foreach (var node in context.All("server_tokens"))
        {
            if (node.Arg(0).Equals("on", StringComparison.OrdinalIgnoreCase))
            {
                context.Report(this, node, "server_tokens on sends the exact server version in every response (version disclosure)");
            }
        }
    }
}

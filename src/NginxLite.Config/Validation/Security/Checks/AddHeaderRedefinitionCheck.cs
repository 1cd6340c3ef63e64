namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// gixy's <c>add_header_redefinition</c>: <c>add_header</c> is inherited only by levels that have none of their own
/// (ngx_http_headers_module: "inherited from the previous configuration level if and only if there are no
/// add_header directives defined on the current level"). One <c>add_header X-Foo</c> in a location silently drops
/// the server's security headers there. Reported when a dropped header is a security header (gixy's list).
/// </summary>
internal sealed class AddHeaderRedefinitionCheck : ISecurityCheck
{
    private static readonly HashSet<string> SecurityHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "cache-control", "content-security-policy", "content-security-policy-report-only",
        "cross-origin-embedder-policy", "cross-origin-opener-policy", "cross-origin-resource-policy",
        "permissions-policy", "referrer-policy", "strict-transport-security", "x-content-type-options",
        "x-frame-options", "x-xss-protection", "x-permitted-cross-domain-policies", "expect-ct", "pragma",
        "expires", "content-disposition",
    };

    public string Id => "add-header-redefinition";

    public void Run(LintContext context)
    {
        foreach (var block in context.Nodes.Where(n => n.IsBlock && n.Name is "http" or "server" or "location" or "if"))
        {
            var own = Headers(block);
            if (own.Count == 0)
            {
                continue;
            }

            var parent = block.Ancestors().FirstOrDefault(a => a.Find("add_header").Any());
            if (parent is null)
            {
                continue;
            }

            var dropped = Headers(parent).Where(h => !own.Contains(h) && SecurityHeaders.Contains(h)).ToList();
            if (dropped.Count == 0)
            {
                continue;
            }

            var where = parent.Find("add_header").First().Directive.Position;
            context.Report(this, block, $"add_header in this {block.Name} drops the inherited {string.Join(", ", dropped.Select(h => $"\"{h}\""))} (add_header at {where}): a level with its own add_header inherits none");
        }
    }

    private static HashSet<string> Headers(LintNode block) =>
        block.Find("add_header").Where(h => h.ArgCount > 0).Select(h => h.Arg(0)).ToHashSet(StringComparer.OrdinalIgnoreCase);
}

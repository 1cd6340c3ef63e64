namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// gixy's <c>origins</c>: an <c>if ($http_origin ~ …)</c> / <c>if ($http_referer ~ …)</c> check, or a
/// <c>valid_referers ~regex</c>, whose regex also accepts hosts the site does not own — unanchored, an unescaped
/// "." in the host, or nothing after the host so "example.com.evil.com" passes (the CSRF/clickjacking protection it
/// guards is then open to any site). valid_referers regexes match the Referer with the scheme removed
/// (ngx_http_referer_module), so there the host comes first.
/// </summary>
internal sealed class OriginsCheck : ISecurityCheck
{
    private static readonly string[] RegexOperators = ["~", "~*", "!~", "!~*"];

    public string Id => "origins";

    public void Run(LintContext context)
    {
        foreach (var node in context.All("if"))
        {
            var args = Condition(node);
            if (args.Count != 3 || args[0] is not ("$http_origin" or "$http_referer") || !RegexOperators.Contains(args[1]))
            {
                continue;
            }

            if (OriginPattern.Weakness(args[2], withScheme: true, context.Options) is { } why)
            {
                var name = args[0] == "$http_origin" ? "origin" : "referrer";
                context.Report(this, node, $"the {name} check \"{args[2]}\" accepts untrusted sites: {why}");
            }
        }

        foreach (var node in context.All("valid_referers"))
        {
            foreach (var arg in node.Directive.Arguments.Select(a => a.Value).Where(v => v.StartsWith('~')))
            {
                if (OriginPattern.Weakness(arg[1..], withScheme: false, context.Options) is { } why)
                {
                    context.Report(this, node, $"valid_referers \"{arg}\" accepts untrusted sites: {why}");
                }
            }
        }
    }

    /// <summary>The condition's words without the parentheses: <c>($a ~ re)</c> → ["$a", "~", "re"].</summary>
    private static List<string> Condition(LintNode node)
    {
        var args = node.Directive.Arguments.Select(a => a.Value).ToList();
        if (args.Count > 0 && args[0].StartsWith('('))
        {
            args[0] = args[0][1..];
        }

        if (args.Count > 0 && args[^1].EndsWith(')'))
        {
            args[^1] = args[^1][..^1];
        }

        args.RemoveAll(a => a.Length == 0);
        return args;
    }
}

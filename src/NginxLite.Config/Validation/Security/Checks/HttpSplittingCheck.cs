using NginxLite.Config.Validation.Security.Values;

namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// gixy's <c>http_splitting</c>: <c>$uri</c>, <c>$document_uri</c> and regex captures are the <em>decoded</em> path,
/// so "%0d%0a" in the request becomes CR LF in the value. Written into a response header (<c>add_header</c>, a
/// redirect's Location from <c>return</c>/<c>rewrite</c>) that splits the response; into a request to an upstream
/// (<c>proxy_set_header</c>, <c>proxy_pass</c>) a LF splits the request (a bare CR is not a line end there, so
/// only LF counts, as in Gixy-Next). <c>$request_uri</c> is the raw, still-encoded line and is safe.
/// Only a redirecting <c>rewrite</c> writes a header; its own captures are escaped by nginx in a redirect (ngx_http_script_copy_capture_code), so only
/// other variables count there.
/// </summary>
internal sealed class HttpSplittingCheck : ISecurityCheck
{
    private static readonly string[] Directives = ["rewrite", "return", "add_header", "proxy_set_header", "proxy_pass"];

    // ngx_http_rewrite_return: a lone argument is a redirect only with these prefixes; Location only for these codes.
    private static readonly string[] RedirectPrefixes = ["http://", "https://", "$scheme"];
    private static readonly string[] RedirectStatuses = ["301", "302", "303", "307", "308"];

    public string Id => "http-splitting";

    public void Run(LintContext context)
    {
        foreach (var node in Directives.SelectMany(context.All))
        {
            var value = node.Name switch
            {
                "proxy_pass" => node.ArgCount >= 1 ? node.Arg(0) : null,
                "return" => ReturnLocation(node),
                "rewrite" => RewriteLocation(node),
                _ => node.ArgCount >= 2 ? node.Arg(1) : null,
            };
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var own = node.Name == "rewrite" ? RegexModel.Parse(node.Arg(0)) : null;
            var serverSide = node.Name.StartsWith("proxy_", StringComparison.Ordinal);
            foreach (var part in ScriptPart.Split(value))
            {
                if (part.Variable is not { } name || (own is not null && IsOwnCapture(own, name)))
                {
                    continue;
                }

                var model = context.Variable(node, name);
                var breaks = model.CanContain('\n') ? "LF" : !serverSide && model.CanContain('\r') ? "CR" : null;
                if (breaks is not null)
                {
                    context.Report(this, node, $"{node.Name} writes ${name}, which can hold a {breaks} (decoded from %0{(breaks == "LF" ? "a" : "d")}), into {(serverSide ? "the request to the upstream" : "a response header")} (HTTP splitting)");
                    break;
                }
            }
        }
    }

    /// <summary>The URL of a redirecting <c>return</c>, or null when it returns a body or nothing.</summary>
    public static string? ReturnLocation(LintNode node)
    {
        if (node.ArgCount == 1)
        {
            var only = node.Arg(0);
            return RedirectPrefixes.Any(p => only.StartsWith(p, StringComparison.Ordinal)) ? only : null;
        }

        return node.ArgCount >= 2 && RedirectStatuses.Contains(node.Arg(0)) ? node.Arg(1) : null;
    }

    /// <summary>
    /// The URL of a redirecting <c>rewrite</c> (a replacement starting with http://, https:// or $scheme, or the
    /// redirect/permanent flag: ngx_http_rewrite), or null: an internal rewrite only changes the URI, no header.
    /// </summary>
    public static string? RewriteLocation(LintNode node)
    {
        if (node.ArgCount < 2)
        {
            return null;
        }

        var replacement = node.Arg(1);
        var redirect = RedirectPrefixes.Any(p => replacement.StartsWith(p, StringComparison.Ordinal))
            || (node.ArgCount >= 3 && node.Arg(2) is "redirect" or "permanent");
        return redirect ? replacement : null;
    }

    private static bool IsOwnCapture(RegexModel rewrite, string name) =>
        (name.Length == 1 && char.IsAsciiDigit(name[0])) || rewrite.Named.ContainsKey(name);
}

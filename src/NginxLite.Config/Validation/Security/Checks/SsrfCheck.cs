using System.Text.RegularExpressions;
using NginxLite.Config.Validation.Security.Values;

namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// gixy's <c>ssrf</c>: a <c>*_pass</c> whose scheme or host comes from request data (<c>$arg_*</c>, <c>$http_*</c>,
/// a regex capture …) lets a client make the server connect anywhere — internal services, cloud metadata. A variable
/// that always holds a "/" (such as <c>$request_uri</c>) can only be the path, so it is fine; <c>internal</c>
/// locations are not reachable from outside and are skipped.
/// </summary>
internal sealed partial class SsrfCheck : ISecurityCheck
{
    private static readonly string[] Passes = ["proxy_pass", "fastcgi_pass", "uwsgi_pass", "scgi_pass", "grpc_pass"];

    public string Id => "ssrf";

    public void Run(LintContext context)
    {
        foreach (var pass in Passes.SelectMany(context.All))
        {
            var value = pass.Arg(0);
            if (value.Length == 0 || (pass.Location is { } location && location.Find("internal").Any()))
            {
                continue;
            }

            var parsed = SchemeAndHost().Match(value);
            if (!parsed.Success)
            {
                continue;
            }

            if (!Check(context, pass, parsed.Groups["scheme"].Value))
            {
                Check(context, pass, parsed.Groups["host"].Value);
            }
        }
    }

    private bool Check(LintContext context, LintNode pass, string script)
    {
        foreach (var part in ScriptPart.Split(script))
        {
            if (part.Variable is not { } name)
            {
                continue;
            }

            var model = context.Variable(pass, name);
            if (model.MustContain('/'))
            {
                return false;
            }

            if (model.CanContain('.'))
            {
                context.Report(this, pass, $"{pass.Name} takes its upstream host from ${name}, which the client controls: the server can be made to connect anywhere (SSRF)");
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^(?<scheme>[^?#/)]+://)?(?<host>[^?#/)]+)")]
    private static partial Regex SchemeAndHost();
}

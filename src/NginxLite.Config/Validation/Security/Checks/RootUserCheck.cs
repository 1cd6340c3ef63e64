namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// Code that handles requests should never run as root: <c>user root</c> (nginx's workers), <c>cgi_user root</c>
/// (CGI scripts; the CGI handler refuses it at run time as suEXEC does, the lint says so at -t) and
/// <c>app { user root; }</c> (WSGI/Rack workers: an app bug becomes a root shell).
/// </summary>
internal sealed class RootUserCheck : ISecurityCheck
{
    public string Id => "root-user";

    public void Run(LintContext context)
    {
        foreach (var node in context.All("user").Concat(context.All("cgi_user")))
        {
            if (node.Arg(0) is not ("root" or "0"))
            {
                continue;
            }

            var who = node.Name == "cgi_user" ? "CGI scripts"
                : node.Parent?.Name == "app" ? $"the workers of app \"{node.Parent.Arg(0)}\""
                : "the worker processes";
            context.Report(this, node, $"{node.Name} \"{node.Arg(0)}\" runs {who} as root: a bug in request handling becomes root access");
        }
    }
}

namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// <c>location ~ \.php$ { fastcgi_pass …; }</c> with no check that the script exists: "/upload/x.jpg/y.php" matches,
/// and PHP's <c>cgi.fix_pathinfo</c> walks back to run the uploaded x.jpg as PHP. The guard is
/// <c>try_files $uri =404;</c> (or, with <c>fastcgi_split_path_info</c>, <c>try_files $fastcgi_script_name =404;</c>),
/// or an <c>if (!-f …) { return 404; }</c> (nginx wiki "PHP FastCGI Example", Pitfalls: "Passing Uncontrolled
/// Requests to PHP").
/// </summary>
internal sealed class PhpPathInfoCheck : ISecurityCheck
{
    public string Id => "php-path-info";

    public void Run(LintContext context)
    {
        foreach (var pass in context.All("fastcgi_pass"))
        {
            if (pass.Location is not { } location)
            {
                continue;
            }

            var loc = LocationArgs.Of(location);
            if (!loc.IsRegex || !loc.Path.Contains("php", StringComparison.OrdinalIgnoreCase) || Guarded(pass, location))
            {
                continue;
            }

            context.Report(this, pass, $"fastcgi_pass for location \"{loc.Path}\" has no \"try_files $uri =404\": \"/upload/x.jpg/y.php\" reaches PHP, whose cgi.fix_pathinfo runs x.jpg as a script");
        }
    }

    private static bool Guarded(LintNode pass, LintNode location)
    {
        for (var level = pass.Parent; level is not null; level = level.Parent)
        {
            var tryFiles = level.Find("try_files").LastOrDefault();
            if (tryFiles is not null && tryFiles.ArgCount >= 2 && tryFiles.Arg(tryFiles.ArgCount - 1).StartsWith('=')
                && tryFiles.Arg(0) is "$uri" or "$fastcgi_script_name" or "$document_root$fastcgi_script_name")
            {
                return true;
            }

            if (level.Find("if").Any(i => i.Directive.Arguments.Any(a => a.Value.TrimStart('(') is "!-f" or "!-e")))
            {
                return true;
            }

            if (level == location)
            {
                break;
            }
        }

        return false;
    }
}

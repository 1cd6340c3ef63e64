using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>
/// <c>app NAME { … }</c> pools and <c>app_pass NAME;</c> (issue 6, docs/apps.md): an app needs exactly one of
/// <c>module</c>, <c>wsgi_file</c>, <c>rack</c> (uWSGI refuses to serve without an app: "no app loaded"), unless its
/// settings come from an <c>ini</c> file (checked when that file is read, see RouteTableCompiler.Apps); app names are
/// unique; <c>app_pass</c> names an app of the same http block (the 1–1024 range of processes/threads is the
/// directive table's value check). Worded like nginx's "unknown upstream"-style errors.
/// </summary>
public sealed class AppBlockCheck : IConfigCheck
{
    private static readonly string[] Entries = ["module", "wsgi_file", "rack"];

    public void Run(BoundConfig config, BindScope scope)
    {
        foreach (var http in ConfigTree.HttpBlocks(config))
        {
            var apps = new HashSet<string>(StringComparer.Ordinal);
            foreach (var app in http.ChildrenNamed("app").Where(a => a.Arguments.Count == 1))
            {
                if (!apps.Add(app.Arg(0)))
                {
                    scope.Emerg(app, $"duplicate app \"{app.Arg(0)}\"");
                }

                var entries = app.Children.Where(c => Entries.Contains(c.Name)).ToList();
                if (entries.Count > 1)
                {
                    scope.Emerg(entries[1], $"\"{entries[1].Name}\" directive is duplicate, app \"{app.Arg(0)}\" already has \"{entries[0].Name}\"");
                }
                else if (entries.Count == 0 && !app.Children.Any(c => c.Name == "ini"))
                {
                    scope.Emerg(app, $"app \"{app.Arg(0)}\" needs one of \"module\", \"wsgi_file\" or \"rack\"");
                }
            }

            foreach (var pass in http.Descendants().Where(d => d.Name == "app_pass" && d.Arguments.Count == 1))
            {
                if (!apps.Contains(pass.Arg(0)))
                {
                    scope.Emerg(pass, $"unknown app \"{pass.Arg(0)}\"");
                }
            }
        }
    }
}

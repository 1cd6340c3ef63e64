namespace NginxLite.Config.Validation.Security.Checks;

/// <summary>
/// <c>autoindex on</c> over a system directory (<c>/</c>, <c>/etc</c>, <c>/home</c>, <c>/root</c>, <c>/var</c> …)
/// lists and serves its files to anyone: keys, configs, shell histories. The root (or alias) in effect at each level
/// where the listing is on is checked.
/// </summary>
internal sealed class AutoindexRootCheck : ISecurityCheck
{
    private static readonly HashSet<string> Sensitive =
        ["/", "/etc", "/home", "/root", "/var", "/usr", "/proc", "/sys", "/boot", "/dev", "/run", "/tmp"];

    public string Id => "autoindex-root";

    public void Run(LintContext context)
    {
        if (!context.All("autoindex").Any(a => a.Arg(0).Equals("on", StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        var reported = new HashSet<LintNode>();
        foreach (var level in context.Nodes.Where(n => n.Name is "http" or "server" or "location"))
        {
            if (Inherited.Value(level, "autoindex") is not { } autoindex || !autoindex.Arg(0).Equals("on", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var dir = Inherited.Levels(level)
                .Select(l => l.Find("alias").LastOrDefault() ?? l.Find("root").LastOrDefault())
                .FirstOrDefault(d => d is not null);
            var path = dir?.Arg(0) ?? "";
            var normal = path.Length > 1 ? path.TrimEnd('/') : path;
            if (Sensitive.Contains(normal) && reported.Add(autoindex))
            {
                context.Report(this, autoindex, $"autoindex on lists and serves the system directory \"{path}\" ({dir!.Name} in {dir.Directive.Position})");
            }
        }
    }
}

using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation.Checks;

namespace NginxLite.Config.Validation;

/// <summary>The outcome of <c>nginxlite -t</c>: every message in nginx's order, and the trees for later passes.</summary>
public sealed record ConfigTestResult(ConfigDocument Document, BoundConfig? Bound, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Ok => !Diagnostics.Any(d => d.IsError);

    /// <summary>True when reading stopped at a syntax error (nginx then never says "syntax is ok").</summary>
    public bool SyntaxOk => Document.SyntaxError is null;

    public Diagnostic? FirstError => Diagnostics.FirstOrDefault(d => d.IsError);
}

/// <summary>
/// The whole check pipeline: Syntax → Binder → semantic checks, all errors collected, sorted as nginx meets them.
/// </summary>
/// <remarks>
/// nginx stops at its first error; we report them all, ordered by <see cref="Diagnostic.Ordinal"/> (stable, so
/// messages with one ordinal keep the order they were reported in: loader, binder, then <see cref="ConfigChecks.All"/>).
/// After a syntax error the checks still run on the partial tree, but nginx only ever meets what comes before the
/// error in its processing order: a directive-time check of an earlier directive, yes; anything done when a block
/// closes (duplicate location, unknown variable …) or after the file (no "events"), never, because that block never
/// closed. So only messages whose ordinal is below the syntax error's are kept.
/// </remarks>
public static class ConfigTest
{
    public static ConfigTestResult Run(string mainFile, LoadOptions load, BindOptions bind)
    {
        var diagnostics = new DiagnosticBag();
        load = WithConfigDirectory(load, mainFile);
        var document = ConfigLoader.Load(mainFile, load, diagnostics);
        return Check(document, bind with { ConfigDirectory = bind.ConfigDirectory ?? load.ConfigDirectory }, diagnostics);
    }

    public static ConfigTestResult RunText(string text, string fileName, LoadOptions load, BindOptions bind)
    {
        var diagnostics = new DiagnosticBag();
        load = WithConfigDirectory(load, fileName);
        var document = ConfigLoader.LoadText(text, fileName, load, diagnostics);
        return Check(document, bind with { ConfigDirectory = bind.ConfigDirectory ?? load.ConfigDirectory }, diagnostics);
    }

    /// <summary>Binds <paramref name="document"/> and runs every semantic check on it.</summary>
    public static ConfigTestResult Check(ConfigDocument document, BindOptions bind, DiagnosticBag diagnostics)
    {
        var bound = document.Directives.Count > 0
            ? ConfigBinder.Bind(document, bind, diagnostics)
            : new BoundConfig(EmptyRoot(document));

        RunChecks(bound, new BindScope(diagnostics, bind));

        var ordered = diagnostics.InNginxOrder();
        if (document.SyntaxError is { } syntax)
        {
            ordered = [.. ordered.Where(d => d.Ordinal < syntax.Ordinal && !ReferenceEquals(d, syntax)), syntax];
        }

        return new ConfigTestResult(document, document.Directives.Count > 0 ? bound : null, ordered);
    }

    /// <summary>Runs <see cref="ConfigChecks.All"/> on a bound tree (tests use this with hand-built trees).</summary>
    public static void RunChecks(BoundConfig config, BindScope scope)
    {
        var (wasOffline, hadHosts, hadMemo) = (Checks.HostResolver.Offline, Checks.HostResolver.Hosts, ConfigTree.RunMemo);
        Checks.HostResolver.Offline = !scope.Options.CheckEnvironment;
        Checks.HostResolver.Hosts = scope.Options.Hosts;
        ConfigTree.RunMemo = [];
        try
        {
            foreach (var check in ConfigChecks.All)
            {
                check.Run(config, scope);
            }
        }
        finally
        {
            Checks.HostResolver.Offline = wasOffline;
            Checks.HostResolver.Hosts = hadHosts;
            ConfigTree.RunMemo = hadMemo;
        }
    }

    private static LoadOptions WithConfigDirectory(LoadOptions load, string mainFile) =>
        load.ConfigDirectory is null
            ? load with { ConfigDirectory = Path.GetDirectoryName(Path.GetFullPath(mainFile)) }
            : load;

    private static BoundDirective EmptyRoot(ConfigDocument document) =>
        new(new ConfigDirective("", [], [], new SourcePosition(document.MainFile, 0), -1, 0), null, Directives.DirectiveContext.Main, null);
}

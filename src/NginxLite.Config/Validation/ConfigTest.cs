using NginxLite.Config.Binding;
using NginxLite.Config.Syntax;

namespace NginxLite.Config.Validation;

/// <summary>The outcome of <c>nginxlite -t</c>: every message in nginx's order, and the trees for later passes.</summary>
public sealed record ConfigTestResult(ConfigDocument Document, BoundConfig? Bound, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Ok => !Diagnostics.Any(d => d.IsError);

    /// <summary>True when reading stopped at a syntax error (nginx then never says "syntax is ok").</summary>
    public bool SyntaxOk => Document.SyntaxError is null;

    public Diagnostic? FirstError => Diagnostics.FirstOrDefault(d => d.IsError);
}

/// <summary>The whole check pipeline: Syntax → Binder → semantic checks, all errors collected, sorted as nginx meets them.</summary>
public static class ConfigTest
{
    public static ConfigTestResult Run(string mainFile, LoadOptions load, BindOptions bind) =>
        throw new NotImplementedException("checks helper");

    public static ConfigTestResult RunText(string text, string fileName, LoadOptions load, BindOptions bind) =>
        throw new NotImplementedException("checks helper");
}

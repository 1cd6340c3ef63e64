using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;
using NginxLite.Config.Validation.Security;

namespace NginxLite.Config.Tests.Validation.Security;

/// <summary>Loads config text (or a file) and runs the security lint on it.</summary>
internal static class Lint
{
    public const string FileName = "/etc/nginxlite/test.conf";

    public static IReadOnlyList<SecurityFinding> Text(string text, SecurityLintOptions? options = null)
    {
        var document = ConfigLoader.LoadText(text, FileName, new LoadOptions(), new DiagnosticBag());
        return SecurityLint.Run(document, options);
    }

    public static IReadOnlyList<SecurityFinding> File(string path, SecurityLintOptions? options = null)
    {
        var document = ConfigLoader.Load(path, new LoadOptions(), new DiagnosticBag());
        return SecurityLint.Run(document, options);
    }

    public static string[] Ids(IEnumerable<SecurityFinding> findings) => [.. findings.Select(f => f.Check).Distinct()];
}

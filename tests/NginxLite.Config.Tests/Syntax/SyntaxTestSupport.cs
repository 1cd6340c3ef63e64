using Xunit;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Tests.Syntax;

/// <summary>Shared helpers: parse text, find the shared corpus, make scratch directories.</summary>
internal static class SyntaxTestSupport
{
    public const string FileName = "/test/nginx.conf";

    public static ConfigDocument Parse(string text, LoadOptions? options = null) =>
        ConfigLoader.LoadText(text, FileName, options ?? new LoadOptions(), new DiagnosticBag());

    public static ConfigDirective Single(string text)
    {
        var document = Parse(text);
        Assert.Null(document.SyntaxError);
        return Assert.Single(document.Directives);
    }

    public static string[] Values(ConfigDirective directive) => [.. directive.Arguments.Select(a => a.Value)];

    /// <summary>The repository root (holding NginxLite.sln), found by walking up from the test binaries.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NginxLite.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("NginxLite.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>/work/shared next to the worktree: the corpus of real configs and nginx -t results.</summary>
    public static string SharedDirectory()
    {
        var root = RepoRoot();
        foreach (var candidate in new[] { Path.Combine(root, "..", "shared"), Path.Combine(root, "shared") })
        {
            if (Directory.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new InvalidOperationException("shared corpus not found next to " + root);
    }

    public static string CreateTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nginxlite-syntax-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}

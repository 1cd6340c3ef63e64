using NginxLite.Config.Syntax;
using NginxLite.Config.Validation.Security.Checks;

namespace NginxLite.Config.Validation.Security;

/// <summary>
/// The security lint of <c>nginxlite -t</c> (issue 8, docs/security-lint.md): the classic nginx misconfigurations
/// gixy finds, plus NginxLite's own (root CGI/app users). It reads the syntax tree, so it is independent of the
/// nginx-compatible checks in <see cref="ConfigTest"/> and never changes their messages: its findings are a
/// separate list, each tagged <c>[security:ID]</c>.
/// </summary>
public static class SecurityLint
{
    public static IReadOnlyList<ISecurityCheck> Checks { get; } =
    [
        new AliasTraversalCheck(),
        new HttpoxyCheck(),
        new HostSpoofingCheck(),
        new SsrfCheck(),
        new HttpSplittingCheck(),
        new AddHeaderRedefinitionCheck(),
        new OriginsCheck(),
        new ValidReferersNoneCheck(),
        new PhpPathInfoCheck(),
        new ServerTokensCheck(),
        new AutoindexRootCheck(),
        new RootUserCheck(),
    ];

    /// <summary>Runs every check on <paramref name="document"/>; findings silenced by an allow comment are dropped.</summary>
    public static IReadOnlyList<SecurityFinding> Run(ConfigDocument document, SecurityLintOptions? options = null)
    {
        var context = new LintContext(LintNode.Root(document.Directives), options ?? SecurityLintOptions.Default);
        foreach (var check in Checks)
        {
            check.Run(context);
        }

        var allowed = new AllowComments(document.Files);
        return [.. context.Findings
            .Where(f => !allowed.Allows(f))
            .OrderBy(f => f.Ordinal)];
    }
}

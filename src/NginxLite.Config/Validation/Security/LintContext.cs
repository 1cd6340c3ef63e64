using NginxLite.Config.Validation.Security.Values;

namespace NginxLite.Config.Validation.Security;

/// <summary>One lint run: the tree, the options, and the findings so far.</summary>
public sealed class LintContext(LintNode root, SecurityLintOptions options)
{
    private readonly List<SecurityFinding> _findings = [];

    public LintNode Root { get; } = root;

    public SecurityLintOptions Options { get; } = options;

    public IReadOnlyList<SecurityFinding> Findings => _findings;

    /// <summary>Every directive named <paramref name="name"/>, anywhere in the tree.</summary>
    public IEnumerable<LintNode> All(string name) => Root.Descendants().Where(n => n.Name == name);

    public void Report(ISecurityCheck check, LintNode node, string message) =>
        _findings.Add(new SecurityFinding(check.Id, message, node.Directive.Position));

    internal ValueModel Variable(LintNode at, string name) => VariableScope.Resolve(at, name, depth: 0);

    internal ValueModel Script(LintNode at, string value) => VariableScope.ResolveScript(at, value, depth: 0);
}

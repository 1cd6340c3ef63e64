using NginxLite.Config.Validation.Security.Values;

namespace NginxLite.Config.Validation.Security;

/// <summary>One lint run: the tree, the options, and the findings so far.</summary>
public sealed class LintContext
{
    private readonly List<SecurityFinding> _findings = [];
    private readonly Dictionary<string, List<LintNode>> _byName = new(StringComparer.Ordinal);

    public LintContext(LintNode root, SecurityLintOptions options)
    {
        Root = root;
        Options = options;
        var nodes = new List<LintNode>();
        var stack = new Stack<LintNode>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (node != root)
            {
                nodes.Add(node);
                if (!_byName.TryGetValue(node.Name, out var list))
                {
                    _byName[node.Name] = list = [];
                }

                list.Add(node);
            }

            for (var i = node.Children.Count - 1; i >= 0; i--)
            {
                stack.Push(node.Children[i]);
            }
        }

        Nodes = nodes;
        Assigned = [.. All("set").Where(n => n.ArgCount > 0 && n.Arg(0).StartsWith('$')).Select(n => n.Arg(0)[1..])];
    }

    /// <summary>Names some <c>set</c> assigns: only those need the walk back through the scope.</summary>
    internal HashSet<string> Assigned { get; }

    public LintNode Root { get; }

    public SecurityLintOptions Options { get; }

    /// <summary>Every directive of the tree in file order (built once: big configs have 10⁵ directives).</summary>
    public IReadOnlyList<LintNode> Nodes { get; }

    public IReadOnlyList<SecurityFinding> Findings => _findings;

    /// <summary>Every directive named <paramref name="name"/>, anywhere in the tree.</summary>
    public IReadOnlyList<LintNode> All(string name) => _byName.TryGetValue(name, out var list) ? list : [];

    public void Report(ISecurityCheck check, LintNode node, string message) =>
        _findings.Add(new SecurityFinding(check.Id, message, node.Directive.Position) { Ordinal = node.Directive.Ordinal });

    internal ValueModel Variable(LintNode at, string name) => VariableScope.Resolve(at, name, Assigned, depth: 0);
}

using NginxLite.Config.Syntax;

namespace NginxLite.Config.Validation.Security;

/// <summary>
/// A directive of the syntax tree with its parent, so a check can walk up (inheritance, enclosing location) as gixy
/// does. The lint reads the syntax tree, not the bound one, so it also runs on configs the binder rejected.
/// </summary>
public sealed class LintNode
{
    private readonly List<LintNode> _children = [];

    private LintNode(ConfigDirective directive, LintNode? parent, int index)
    {
        Directive = directive;
        Parent = parent;
        Index = index;
    }

    public ConfigDirective Directive { get; }

    public LintNode? Parent { get; }

    /// <summary>Position among the parent's children.</summary>
    public int Index { get; }

    public IReadOnlyList<LintNode> Children => _children;

    public string Name => Directive.Name;

    public int ArgCount => Directive.Arguments.Count;

    public string Arg(int i) => i < Directive.Arguments.Count ? Directive.Arg(i) : "";

    public bool IsBlock => Directive.HasBlock;

    public IEnumerable<LintNode> Find(string name) => _children.Where(c => c.Name == name);

    public IEnumerable<LintNode> Ancestors()
    {
        for (var p = Parent; p is not null; p = p.Parent)
        {
            yield return p;
        }
    }

    /// <summary>The nearest enclosing <c>location</c> (null at server level and above).</summary>
    public LintNode? Location => Ancestors().FirstOrDefault(a => a.Name == "location");

    /// <summary>Siblings before this one, nearest first, then the same for each ancestor: nginx's "set before use" view.</summary>
    public IEnumerable<LintNode> EarlierInScope()
    {
        for (var node = this; node.Parent is { } parent; node = parent)
        {
            for (var i = node.Index - 1; i >= 0; i--)
            {
                yield return parent._children[i];
            }
        }
    }

    /// <summary>The tree under a synthetic root (its children are the top-level directives).</summary>
    public static LintNode Root(IReadOnlyList<ConfigDirective> directives)
    {
        var root = new LintNode(new ConfigDirective("", [], directives, new SourcePosition("", 0), -1, 0), null, 0);
        root.AddChildren(directives);
        return root;
    }

    private void AddChildren(IReadOnlyList<ConfigDirective> directives)
    {
        foreach (var d in directives)
        {
            var child = new LintNode(d, this, _children.Count);
            _children.Add(child);
            if (d.Block is { } block)
            {
                child.AddChildren(block);
            }
        }
    }
}

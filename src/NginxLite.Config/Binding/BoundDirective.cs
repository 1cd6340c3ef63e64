using NginxLite.Config.Directives;
using NginxLite.Config.Syntax;

namespace NginxLite.Config.Binding;

/// <summary>
/// A directive matched to its table row, in the context it was found. The binder builds this tree;
/// semantic checks and the compiler read it.
/// </summary>
public sealed class BoundDirective
{
    public BoundDirective(ConfigDirective syntax, DirectiveSpec? spec, DirectiveContext context, BoundDirective? parent)
    {
        Syntax = syntax;
        Spec = spec;
        Context = context;
        Parent = parent;
    }

    public ConfigDirective Syntax { get; }

    /// <summary>The table row; null for a data line inside a free-form block (<c>types</c>, <c>map</c> …) and for the root.</summary>
    public DirectiveSpec? Spec { get; }

    /// <summary>The context the directive was written in.</summary>
    public DirectiveContext Context { get; }

    public BoundDirective? Parent { get; }

    public List<BoundDirective> Children { get; } = [];

    public string Name => Syntax.Name;

    public IReadOnlyList<ConfigArgument> Arguments => Syntax.Arguments;

    /// <summary>Where nginx reports problems with this directive: the line of its terminating <c>;</c> or <c>{</c>
    /// (nginx's tokenizer has read that far when the directive is handled), not the line of its name.</summary>
    public SourcePosition Position => Syntax.ReportPosition;

    public int Ordinal => Syntax.Ordinal;

    /// <summary>When nginx closes this directive's block (after every child); equal to <see cref="Ordinal"/> for a simple directive.</summary>
    public int EndOrdinal => Syntax.EndOrdinal;

    /// <summary>Every directive below this one, in pre-order (nginx's processing order).</summary>
    /// <remarks>One iterator and an explicit stack: nested iterators cost an allocation per node and a step per level
    /// for each item, which the checks' many walks of a 10,000-location tree felt.</remarks>
    public IEnumerable<BoundDirective> Descendants()
    {
        if (Children.Count == 0)
        {
            yield break;
        }

        var stack = new Stack<(BoundDirective Block, int Next)>();
        var block = this;
        var next = 0;
        while (true)
        {
            if (next < block.Children.Count)
            {
                var child = block.Children[next++];
                yield return child;
                if (child.Children.Count > 0)
                {
                    stack.Push((block, next));
                    (block, next) = (child, 0);
                }
            }
            else if (stack.TryPop(out var parent))
            {
                (block, next) = parent;
            }
            else
            {
                yield break;
            }
        }
    }

    public string Arg(int i) => Syntax.Arguments[i].Value;

    public IEnumerable<BoundDirective> ChildrenNamed(string name) => Children.Where(c => c.Name == name);

    public override string ToString() => $"{Name} @ {Position}";
}

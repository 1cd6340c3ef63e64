using System.Text;
using NginxLite.Config.Binding;
using NginxLite.Config.Directives;
using NginxLite.Config.Syntax;

namespace NginxLite.Config.Tests.Validation;

/// <summary>
/// Test-only: turns nginx text into a bound tree without the real parser and binder. Contexts come from the parent's
/// name, ordinals are pre-order and a block's end ordinal follows its children. No escapes beyond quotes.
/// </summary>
internal static class TestTree
{
    public const string File = "/t/nginx.conf";

    public static BoundConfig Parse(string text)
    {
        var tokens = Tokenize(text).ToList();
        var ordinal = 0;
        var index = 0;
        var rootSyntax = new ConfigDirective("", [], [], new SourcePosition(File, 0), -1, int.MaxValue - 100);
        var root = new BoundDirective(rootSyntax, null, DirectiveContext.Main, null);
        ReadBlock(root, DirectiveContext.Main);
        return new BoundConfig(root);

        void ReadBlock(BoundDirective parent, DirectiveContext context)
        {
            while (index < tokens.Count && tokens[index].Text != "}")
            {
                var (name, line, _) = tokens[index++];
                var args = new List<ConfigArgument>();
                while (tokens[index].Text is not (";" or "{"))
                {
                    var t = tokens[index++];
                    args.Add(new ConfigArgument(t.Text, t.Quoted ? ArgumentQuote.Double : ArgumentQuote.None, t.Text));
                }

                var myOrdinal = ordinal++;
                var opens = tokens[index++].Text == "{";
                var placeholder = new ConfigDirective(name, args, opens ? [] : null, new SourcePosition(File, line), myOrdinal, myOrdinal);
                var holder = new BoundDirective(placeholder, null, context, parent);
                if (opens)
                {
                    ReadBlock(holder, ChildContext(name, context));
                    index++; // "}"
                    var end = ordinal++;
                    var syntax = placeholder with { Block = [.. holder.Children.Select(c => c.Syntax)], EndOrdinal = end };
                    var bound = new BoundDirective(syntax, null, context, parent);
                    foreach (var c in holder.Children)
                    {
                        bound.Children.Add(Reparent(c, bound));
                    }

                    parent.Children.Add(bound);
                }
                else
                {
                    parent.Children.Add(holder);
                }
            }
        }
    }

    private static BoundDirective Reparent(BoundDirective d, BoundDirective parent)
    {
        var copy = new BoundDirective(d.Syntax, d.Spec, d.Context, parent);
        foreach (var c in d.Children)
        {
            copy.Children.Add(Reparent(c, copy));
        }

        return copy;
    }

    private static DirectiveContext ChildContext(string name, DirectiveContext context) => name switch
    {
        "http" => DirectiveContext.Http,
        "events" => DirectiveContext.Events,
        "server" when context == DirectiveContext.Http => DirectiveContext.Server,
        "location" => DirectiveContext.Location,
        "if" => context == DirectiveContext.Server ? DirectiveContext.ServerIf : DirectiveContext.LocationIf,
        "upstream" => DirectiveContext.Upstream,
        "limit_except" => DirectiveContext.LimitExcept,
        _ => DirectiveContext.FreeForm,
    };

    private static IEnumerable<(string Text, int Line, bool Quoted)> Tokenize(string text)
    {
        var line = 1;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
            }
            else if (c == '#')
            {
                while (i + 1 < text.Length && text[i + 1] != '\n')
                {
                    i++;
                }
            }
            else if (c is ';' or '{' or '}')
            {
                yield return (c.ToString(), line, false);
            }
            else if (c is '"' or '\'')
            {
                var sb = new StringBuilder();
                for (i++; text[i] != c; i++)
                {
                    sb.Append(text[i]);
                }

                yield return (sb.ToString(), line, true);
            }
            else if (!char.IsWhiteSpace(c))
            {
                var start = i;
                while (i + 1 < text.Length && !char.IsWhiteSpace(text[i + 1]) && text[i + 1] is not (';' or '{' or '}'))
                {
                    i++;
                }

                yield return (text[start..(i + 1)], line, false);
            }
        }
    }
}

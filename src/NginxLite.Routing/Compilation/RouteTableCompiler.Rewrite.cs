using System.Globalization;
using NginxLite.Config.Binding;
using NginxLite.Routing.Rewrite;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Compilation;

public sealed partial class RouteTableCompiler
{
    /// <summary>The rewrite-module directives of a level (<c>return rewrite set break if</c>) in file order.</summary>
    private RewriteProgram CompileProgram(BoundDirective level, LocationSettings settings, bool isLocation)
    {
        var ops = new List<RewriteOp>();
        foreach (var d in level.Children)
        {
            switch (d.Name)
            {
                case "return":
                    ops.Add(CompileReturn(d));
                    break;
                case "rewrite":
                    var flag = d.Arguments.Count > 2
                        ? d.Arg(2) switch
                        {
                            "last" => RewriteFlag.Last,
                            "break" => RewriteFlag.Break,
                            "redirect" => RewriteFlag.Redirect,
                            "permanent" => RewriteFlag.Permanent,
                            _ => RewriteFlag.None,
                        }
                        : RewriteFlag.None;
                    ops.Add(new RewriteRuleOp(new CompiledRegex(d.Arg(0), false, _variables), ComplexValue.Parse(d.Arg(1), _variables), flag));
                    break;
                case "set":
                    ops.Add(new SetOp(_variables.Resolve(d.Arg(0)[1..]), ComplexValue.Parse(d.Arg(1), _variables)));
                    break;
                case "break":
                    ops.Add(BreakOp.Instance);
                    break;
                case "if":
                    LocationSettings? ifSettings = null;
                    if (isLocation && d.Children.Any(c => c.Name is not ("return" or "rewrite" or "set" or "break" or "if")))
                    {
                        ifSettings = settings.Clone();
                        ApplyLevel(ifSettings, d, isLocation: true, isHttp: false);
                    }

                    ops.Add(new IfOp(CompileCondition(d), CompileProgram(d, ifSettings ?? settings, isLocation), ifSettings));
                    break;
            }
        }

        return ops.Count == 0 ? RewriteProgram.Empty : new RewriteProgram([.. ops]);
    }

    private ReturnOp CompileReturn(BoundDirective d)
    {
        if (int.TryParse(d.Arg(0), NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return new ReturnOp(code, d.Arguments.Count > 1 ? ComplexValue.Parse(d.Arg(1), _variables) : null);
        }

        return new ReturnOp(302, ComplexValue.Parse(d.Arg(0), _variables));
    }

    /// <summary>Reads <c>if (…)</c> as ngx_http_rewrite_if_condition does (the config test already refused bad ones).</summary>
    private Condition CompileCondition(BoundDirective d)
    {
        var args = d.Arguments.Select(a => a.Value).ToList();
        args[0] = args[0][1..];
        args[^1] = args[^1][..^1];
        args.RemoveAll(a => a.Length == 0);
        var first = args[0];
        if (first.StartsWith('$'))
        {
            var left = ComplexValue.Parse(first, _variables);
            if (args.Count == 1)
            {
                return new TruthCondition(left);
            }

            var op = args[1];
            var right = args.Count > 2 ? args[2] : "";
            return op switch
            {
                "=" => new EqualsCondition(left, ComplexValue.Parse(right, _variables), false),
                "!=" => new EqualsCondition(left, ComplexValue.Parse(right, _variables), true),
                "~" => new RegexCondition(left, new CompiledRegex(right, false, _variables), false),
                "~*" => new RegexCondition(left, new CompiledRegex(right, true, _variables), false),
                "!~" => new RegexCondition(left, new CompiledRegex(right, false, _variables), true),
                _ => new RegexCondition(left, new CompiledRegex(right, true, _variables), true),
            };
        }

        var negate = first.StartsWith('!');
        var test = first[^1];
        return new FileCondition(ComplexValue.Parse(args[1], _variables), test, negate);
    }
}

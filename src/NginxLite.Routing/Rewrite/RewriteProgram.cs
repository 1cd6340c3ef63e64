using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Routing.Rewrite;

/// <summary>
/// The rewrite-module directives of one server or location level, compiled to ops and run by a small interpreter
/// (nginx's script engine, without re-parsing anything per request).
/// </summary>
public sealed class RewriteProgram
{
    public static readonly RewriteProgram Empty = new([]);

    public RewriteProgram(RewriteOp[] ops) => Ops = ops;

    public RewriteOp[] Ops { get; }

    public bool IsEmpty => Ops.Length == 0;

    public RewriteResult Run(IRequestState state)
    {
        LocationSettings? settings = null;
        var result = Run(state, ref settings);
        return result with { Settings = settings };
    }

    private RewriteResult Run(IRequestState state, ref LocationSettings? settings)
    {
        foreach (var op in Ops)
        {
            switch (op)
            {
                case ReturnOp r:
                    return new RewriteResult(RewriteAction.Return, r.Status, r.Text?.Evaluate(state), null);
                case BreakOp:
                    return new RewriteResult(RewriteAction.Break, 0, null, null);
                case SetOp s:
                    Assign(state, s.Variable, s.Value.Evaluate(state));
                    break;
                case IfOp i:
                    if (i.Condition.Evaluate(state))
                    {
                        settings = i.Settings ?? settings;
                        var inner = i.Body.Run(state, ref settings);
                        if (inner.Action != RewriteAction.Continue)
                        {
                            return inner;
                        }
                    }

                    break;
                case RewriteRuleOp rw:
                    if (Apply(state, rw) is { } done)
                    {
                        return done;
                    }

                    break;
            }
        }

        return new RewriteResult(RewriteAction.Continue, 0, null, null);
    }

    private static void Assign(IRequestState state, VariableRef variable, string value)
    {
        switch (variable.Kind)
        {
            case VariableKind.Args:
                state.Args = value;
                break;
            case VariableKind.User or VariableKind.Computed when variable.Index < state.UserVariables.Length:
                state.UserVariables[variable.Index] = value;
                break;
        }
    }

    /// <summary>One <c>rewrite</c>: null when the regex did not match or the flag lets the next directive run.</summary>
    private static RewriteResult? Apply(IRequestState state, RewriteRuleOp rw)
    {
        if (!rw.Regex.Match(state.Uri, state))
        {
            return null;
        }

        var replaced = rw.Replacement.Evaluate(state);
        string path, args;
        if (rw.HasArgs)
        {
            var q = replaced.IndexOf('?', StringComparison.Ordinal);
            path = replaced[..q];
            args = replaced[(q + 1)..];
            if (!rw.KeepOldArgs)
            {
                args = args.Length > 0 ? args[..^1] : args;
            }
            else if (state.Args.Length > 0)
            {
                args = args.Length > 0 ? args + "&" + state.Args : state.Args;
            }
        }
        else
        {
            path = replaced;
            args = state.Args;
        }

        if (rw.Flag is RewriteFlag.Redirect or RewriteFlag.Permanent)
        {
            var url = args.Length > 0 ? path + "?" + args : path;
            return new RewriteResult(RewriteAction.Return, rw.Flag == RewriteFlag.Permanent ? 301 : 302, url, null);
        }

        state.Uri = path;
        state.Args = args;
        return rw.Flag switch
        {
            RewriteFlag.Last => new RewriteResult(RewriteAction.Last, 0, null, null),
            RewriteFlag.Break => new RewriteResult(RewriteAction.Break, 0, null, null),
            _ => null,
        };
    }
}

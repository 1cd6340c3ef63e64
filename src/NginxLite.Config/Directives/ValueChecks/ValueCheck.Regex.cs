using NginxLite.Config.Binding;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>Checks that compile the regexes of <c>location</c>, <c>rewrite</c>, <c>if</c> and <c>server_name</c>.</summary>
public static partial class ValueCheck
{
    /// <summary><c>location [=|~|~*|^~] uri</c>, <c>location @name</c>, <c>location ~regex</c> (ngx_http_core_location).</summary>
    public static DirectiveValueCheck Location { get; } = (d, scope) =>
    {
        if (d.Arguments.Count == 2)
        {
            switch (d.Arg(0))
            {
                case "=" or "^~":
                    return;
                case "~":
                    Compile(d, scope, d.Arg(1), ignoreCase: false);
                    return;
                case "~*":
                    Compile(d, scope, d.Arg(1), ignoreCase: true);
                    return;
                default:
                    scope.Emerg(d, $"invalid location modifier \"{d.Arg(0)}\"");
                    return;
            }
        }

        var v = d.Arg(0);
        if (v.StartsWith("~*", StringComparison.Ordinal))
        {
            Compile(d, scope, v[2..], ignoreCase: true);
        }
        else if (v.StartsWith('~'))
        {
            Compile(d, scope, v[1..], ignoreCase: false);
        }
    };

    /// <summary><c>if (… ~ regex)</c>: the operands after nginx strips the parentheses.</summary>
    public static DirectiveValueCheck If { get; } = (d, scope) =>
    {
        var args = d.Arguments.Select(a => a.Value).ToList();
        if (args.Count > 0 && args[0].StartsWith('('))
        {
            args[0] = args[0][1..];
        }

        if (args.Count > 0 && args[^1].EndsWith(')'))
        {
            args[^1] = args[^1][..^1];
        }

        args.RemoveAll(a => a.Length == 0);
        if (args.Count == 3 && args[1] is "~" or "~*" or "!~" or "!~*")
        {
            Compile(d, scope, args[2], ignoreCase: args[1].EndsWith('*'));
        }
    };

    /// <summary><c>server_name</c> entries as ngx_http_core_server_name reads them: <c>*.</c>/<c>.</c> forms, then <c>~regex</c>.</summary>
    public static DirectiveValueCheck ServerName { get; } = (d, scope) =>
    {
        foreach (var v in d.Arguments.Select(a => a.Value))
        {
            if ((v.StartsWith('*') && (v.Length < 3 || v[1] != '.')) || (v.StartsWith('.') && v.Length < 2))
            {
                scope.Emerg(d, $"server name \"{v}\" is invalid");
                return;
            }

            if (v.Contains('/', StringComparison.Ordinal))
            {
                scope.Warn(d, $"server name \"{v}\" has suspicious symbols");
            }

            if (v == "~")
            {
                scope.Emerg(d, $"empty regex in server name \"{v}\"");
                return;
            }

            if (v.Length > 1 && v[0] == '~' && !Compile(d, scope, v[1..], ignoreCase: false))
            {
                return;
            }
        }
    };

    private static bool Compile(BoundDirective d, BindScope scope, string pattern, bool ignoreCase)
    {
        if (PcreRegex.TryCreate(pattern, ignoreCase, out _, out var error))
        {
            return true;
        }

        scope.Emerg(d, error!);
        return false;
    }
}

using NginxLite.Config.Binding;

namespace NginxLite.Config.Validation.Checks;

/// <summary>Variable references and definitions in one http block, in nginx's processing order.</summary>
internal static class VariableUses
{
    /// <summary>Every reference (or script error) with the directive it is in.</summary>
    public static IReadOnlyList<(BoundDirective Directive, VariableReference Reference)> In(BoundDirective http) =>
        ConfigTree.Shared(http, nameof(VariableUses) + nameof(In), static h => Scan(h).ToList());

    private static IEnumerable<(BoundDirective Directive, VariableReference Reference)> Scan(BoundDirective http)
    {
        // Big configs repeat the same values ("$host", "/index.php?v=$ver") in every server: scan each text once.
        var scanned = new Dictionary<string, VariableReference[]>(StringComparer.Ordinal);
        foreach (var d in ConfigTree.All(http))
        {
            if (d.Name == "if" && d.Parent?.Name is not ("map" or "geo" or "types" or "split_clients"))
            {
                var condition = IfCondition.Parse(d);
                if (condition.Variable is { } variable)
                {
                    yield return (d, new VariableReference(variable, null));
                }

                if (condition.Value is { } value)
                {
                    foreach (var r in ScriptScanner.Scan(value))
                    {
                        yield return (d, r);
                    }
                }

                continue;
            }

            foreach (var value in ScriptArguments.Of(d))
            {
                if (!value.Contains('$', StringComparison.Ordinal))
                {
                    continue;
                }

                if (!scanned.TryGetValue(value, out var references))
                {
                    scanned[value] = references = [.. ScriptScanner.Scan(value)];
                }

                foreach (var r in references)
                {
                    yield return (d, r);
                }
            }
        }
    }

    /// <summary>Directives that define a variable, with the defined name (lower case, no <c>$</c>).</summary>
    public static IReadOnlyList<(BoundDirective Directive, string Name)> Definitions(BoundDirective http) =>
        ConfigTree.Shared(http, nameof(VariableUses) + nameof(Definitions), static h => FindDefinitions(h).ToList());

    private static IEnumerable<(BoundDirective Directive, string Name)> FindDefinitions(BoundDirective http)
    {
        foreach (var d in ConfigTree.All(http))
        {
            if (d.Parent?.Name is "map" or "geo" or "split_clients" or "types")
            {
                continue;
            }

            var args = d.Arguments;
            var defined = d.Name switch
            {
                "set" or "auth_request_set" or "perl_set" or "js_set" when args.Count > 0 => args[0].Value,
                "map" or "split_clients" when args.Count > 1 => args[1].Value,
                "geo" when args.Count is 1 or 2 => args[^1].Value,
                _ => null,
            };
            if (defined is ['$', _, ..])
            {
                yield return (d, defined[1..].ToLowerInvariant());
            }
        }
    }

    /// <summary>Named captures <c>(?&lt;n&gt;…)</c>, <c>(?P&lt;n&gt;…)</c>, <c>(?'n'…)</c> anywhere in the block: nginx adds them as
    /// variables when it compiles the regex (locations, rewrite, if, server_name, map keys …).</summary>
    public static IEnumerable<string> NamedCaptures(BoundDirective http)
    {
        foreach (var d in ConfigTree.All(http))
        {
            // The name, then each argument (no LINQ: this runs for every directive of the block).
            for (var n = -1; n < d.Arguments.Count; n++)
            {
                var text = n < 0 ? d.Name : d.Arguments[n].Value;
                for (var i = text.IndexOf("(?", StringComparison.Ordinal); i >= 0; i = text.IndexOf("(?", i + 2, StringComparison.Ordinal))
                {
                    var start = i + 2;
                    if (start < text.Length && text[start] == 'P')
                    {
                        start++;
                    }

                    if (start >= text.Length || text[start] is not ('<' or '\''))
                    {
                        continue;
                    }

                    var close = text[start] == '<' ? '>' : '\'';
                    var end = text.IndexOf(close, start + 1);
                    if (end > start + 1 && text[start + 1] is not ('=' or '!'))
                    {
                        yield return text[(start + 1)..end].ToLowerInvariant();
                    }
                }
            }
        }
    }
}

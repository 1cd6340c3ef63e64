using NginxLite.Config.Directives;
using NginxLite.Config.Syntax;
using NginxLite.Config.Validation;

namespace NginxLite.Config.Binding;

/// <summary>
/// Matches every directive to its table row in its context, with nginx's generic checks and messages
/// (unknown directive, not allowed here, not terminated by ";", has no opening "{", invalid number of arguments,
/// unsupported) and each row's value checks.
/// </summary>
/// <remarks>
/// nginx stops at the first error; the binder goes on to collect every error, in nginx's order by ordinal.
/// To avoid cascades, the children of a block are not bound when the block itself failed the generic checks
/// (unknown, not allowed here, ";"/"{" mismatch, argument count) or is unsupported/ignored as a whole
/// (<c>stream</c>, <c>mail</c>). Duplicates and value errors do not stop the children.
/// </remarks>
public static class ConfigBinder
{
    public static BoundConfig Bind(ConfigDocument document, BindOptions options, DiagnosticBag diagnostics)
    {
        var rootSyntax = new ConfigDirective("", [], document.Directives, new SourcePosition(document.MainFile, 0), -1, int.MaxValue);
        var root = new BoundDirective(rootSyntax, null, DirectiveContext.Main, null);
        var scope = new BindScope(diagnostics, options);
        BindBlock(root, document.Directives, DirectiveContext.Main, scope);
        return new BoundConfig(root);
    }

    private static void BindBlock(BoundDirective parent, IReadOnlyList<ConfigDirective> children, DirectiveContext context, BindScope scope)
    {
        var seen = new Dictionary<string, BoundDirective>(StringComparer.Ordinal);
        foreach (var syntax in children)
        {
            if (context == DirectiveContext.FreeForm)
            {
                var data = new BoundDirective(syntax, null, DirectiveContext.FreeForm, parent);
                parent.Children.Add(data);
                if (syntax.Block is { } nested)
                {
                    BindBlock(data, nested, DirectiveContext.FreeForm, scope);
                }

                continue;
            }

            var bound = BindOne(parent, syntax, context, scope, seen);
            if (bound is not null && syntax.Block is { } block)
            {
                BindBlock(bound, block, BlockContextOf(bound.Spec!, context), scope);
            }
        }
    }

    /// <summary>Binds one directive; returns it when its children should be bound too.</summary>
    private static BoundDirective? BindOne(
        BoundDirective parent, ConfigDirective syntax, DirectiveContext context, BindScope scope, Dictionary<string, BoundDirective> seen)
    {
        var variants = DirectiveRegistry.Variants(syntax.Name);
        if (variants.IsEmpty)
        {
            Emerg(scope, syntax, BinderMessages.Unknown(syntax.Name));
            return null;
        }

        var spec = DirectiveRegistry.Find(syntax.Name, context);
        if (spec is null)
        {
            Emerg(scope, syntax, BinderMessages.NotAllowedHere(syntax.Name));
            return null;
        }

        var bound = new BoundDirective(syntax, spec, context, parent);
        parent.Children.Add(bound);
        var opensBlock = spec.Arguments.HasFlag(ArgumentRule.Block);
        if (!opensBlock && syntax.HasBlock)
        {
            Emerg(scope, syntax, BinderMessages.NotTerminated(syntax.Name));
            return null;
        }

        if (opensBlock && !syntax.HasBlock)
        {
            Emerg(scope, syntax, BinderMessages.NoOpeningBrace(syntax.Name));
            return null;
        }

        if (!ArgumentCount.IsValid(spec.Arguments, syntax.Arguments.Count))
        {
            Emerg(scope, syntax, BinderMessages.InvalidArgumentCount(syntax.Name));
            return null;
        }

        switch (spec.Support)
        {
            case DirectiveSupport.Unsupported:
                Emerg(scope, syntax, BinderMessages.Unsupported(syntax.Name, spec.Note));
                return null;
            case DirectiveSupport.Ignored when scope.Options.WarnIgnored:
                scope.Warn(bound, BinderMessages.Ignored(syntax.Name, spec.Note));
                break;
        }

        var duplicate = spec.Multiple ? null : DuplicateMessage(syntax.Name, seen);
        if (duplicate is not null)
        {
            Emerg(scope, syntax, duplicate);
        }
        else
        {
            spec.Check?.Invoke(bound, scope);
        }

        if (!spec.Multiple)
        {
            seen.TryAdd(syntax.Name, bound);
        }

        return spec.Support == DirectiveSupport.Ignored && opensBlock ? null : bound;
    }

    private static string? DuplicateMessage(string name, Dictionary<string, BoundDirective> seen)
    {
        if (seen.ContainsKey(name))
        {
            return BinderMessages.Duplicate(name);
        }

        // root and alias share one slot: ngx_http_core_root names the earlier one.
        var other = name switch { "root" => "alias", "alias" => "root", _ => null };
        return other is not null && seen.ContainsKey(other) ? BinderMessages.DuplicateOf(name, other) : null;
    }

    /// <summary>The context of a block's children; <c>if</c> in a server is <c>ServerIf</c>, in a location <c>LocationIf</c>.</summary>
    public static DirectiveContext BlockContextOf(DirectiveSpec spec, DirectiveContext context) =>
        spec.BlockContext is DirectiveContext.LocationIf or DirectiveContext.ServerIf
            ? context == DirectiveContext.Server ? DirectiveContext.ServerIf : DirectiveContext.LocationIf
            : spec.BlockContext;

    // nginx reports at the line its tokenizer reached: the directive's ';' or '{'.
    private static void Emerg(BindScope scope, ConfigDirective at, string message) =>
        scope.Emerg(message, at.ReportPosition, at.Ordinal);
}

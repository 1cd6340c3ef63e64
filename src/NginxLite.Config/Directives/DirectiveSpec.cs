using NginxLite.Config.Binding;

namespace NginxLite.Config.Directives;

/// <summary>
/// Checks a directive's argument values once the generic context and count checks passed
/// (e.g. <c>on|off</c>, sizes, times, regexes). Reports through <paramref name="scope"/>.
/// </summary>
public delegate void DirectiveValueCheck(BoundDirective directive, BindScope scope);

/// <summary>
/// One row of a module's directive table: nginx's <c>ngx_command_t</c> (name, contexts, argument rule)
/// plus what NginxLite does with it. The tables are the single source for binding, docs and tests.
/// </summary>
/// <param name="Name">Directive name.</param>
/// <param name="Module">nginx module that declares it, e.g. <c>ngx_http_core_module</c>.</param>
/// <param name="Contexts">Where it may appear.</param>
/// <param name="Arguments">How many arguments, and whether it opens a block.</param>
/// <param name="Support">Supported, ignored or unsupported.</param>
/// <param name="Note">Why it is ignored/unsupported, or which issue makes it work.</param>
public sealed record DirectiveSpec(
    string Name,
    string Module,
    DirectiveContext Contexts,
    ArgumentRule Arguments,
    DirectiveSupport Support,
    string? Note = null)
{
    /// <summary>True when it may repeat in one block (array directives: <c>add_header</c>, <c>listen</c> …).
    /// False means a second one in the same block is <c>"X" directive is duplicate</c>, as nginx's slot setters say.</summary>
    public bool Multiple { get; init; }

    /// <summary>The context its block's children are in (for block directives).</summary>
    public DirectiveContext BlockContext { get; init; }

    /// <summary>Value checks run after the generic ones.</summary>
    public DirectiveValueCheck? Check { get; init; }
}

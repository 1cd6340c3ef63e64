namespace NginxLite.Config.Syntax;

/// <summary>
/// One directive of the untyped tree: <c>name arg… ;</c> or <c>name arg… { … }</c>.
/// The syntax layer knows no directive names except <c>include</c>, which it expands in place.
/// </summary>
/// <param name="Name">The directive name as written (first token).</param>
/// <param name="Arguments">The remaining tokens.</param>
/// <param name="Block">The children when the directive ends with <c>{ … }</c>; null when it ends with <c>;</c>.</param>
/// <param name="Position">File and line of the directive name.</param>
/// <param name="Ordinal">Pre-order index in processing order (includes expanded). Lets checks report in nginx's order.</param>
/// <param name="EndOrdinal">For a block: an ordinal after every child, i.e. when nginx would close the block. Equal to <paramref name="Ordinal"/> otherwise.</param>
public sealed record ConfigDirective(
    string Name,
    IReadOnlyList<ConfigArgument> Arguments,
    IReadOnlyList<ConfigDirective>? Block,
    SourcePosition Position,
    int Ordinal,
    int EndOrdinal)
{
    public bool HasBlock => Block is not null;

    /// <summary>Line of the closing brace (0 when not a block or not known).</summary>
    public int EndLine { get; init; }

    /// <summary>The <c>include</c> directive this came from, or null when written in the main file.</summary>
    public SourcePosition? IncludedFrom { get; init; }

    /// <summary>The name token exactly as written (quotes and escapes included); null when built in code.</summary>
    public string? RawName { get; init; }

    /// <summary>
    /// Line of the <c>;</c> or <c>{</c> that ended the directive (0 when not known, or for <c>-g</c>).
    /// nginx reports errors about a directive at this line, which differs from <see cref="Position"/> when it spans lines.
    /// </summary>
    public int TerminatorLine { get; init; }

    /// <summary>Where nginx reports errors about this directive: its file and <see cref="TerminatorLine"/> (or <see cref="Position"/>).</summary>
    public SourcePosition ReportPosition => TerminatorLine > 0 ? Position with { Line = TerminatorLine } : Position;

    public string Arg(int i) => Arguments[i].Value;
}

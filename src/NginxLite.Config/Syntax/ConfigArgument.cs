namespace NginxLite.Config.Syntax;

/// <summary>
/// One argument of a directive. <see cref="Value"/> is the value after nginx's unescaping
/// (<c>\"</c> <c>\'</c> <c>\\</c> <c>\t</c> <c>\r</c> <c>\n</c>; other backslashes kept), quotes removed.
/// <see cref="Raw"/> is the token exactly as written, quotes included, so the tree prints back unchanged.
/// </summary>
public sealed record ConfigArgument(string Value, ArgumentQuote Quote, string Raw)
{
    public static ConfigArgument Bare(string value) => new(value, ArgumentQuote.None, value);

    public override string ToString() => Raw;
}

namespace NginxLite.Config.Directives;

/// <summary>
/// Argument-count rule, as nginx's NGX_CONF_NOARGS / TAKE1…TAKE7 / FLAG / ANY / 1MORE / 2MORE bits,
/// plus whether the directive takes a block. Checked by one generic routine with nginx's fixed message
/// <c>invalid number of arguments in "X" directive</c>.
/// </summary>
[Flags]
public enum ArgumentRule : uint
{
    None = 0,
    NoArgs = 1 << 0,
    Take1 = 1 << 1,
    Take2 = 1 << 2,
    Take3 = 1 << 3,
    Take4 = 1 << 4,
    Take5 = 1 << 5,
    Take6 = 1 << 6,
    Take7 = 1 << 7,

    /// <summary>Exactly one argument, <c>on</c> or <c>off</c>.</summary>
    Flag = 1 << 8,

    /// <summary>Any number of arguments, zero included.</summary>
    Any = 1 << 9,
    OneOrMore = 1 << 10,
    TwoOrMore = 1 << 11,

    /// <summary>The directive opens a block <c>{ … }</c>.</summary>
    Block = 1 << 12,

    /// <summary>Arguments are a parenthesised condition (<c>if</c>).</summary>
    Expression = 1 << 13,

    Take12 = Take1 | Take2,
    Take13 = Take1 | Take3,
    Take23 = Take2 | Take3,
    Take34 = Take3 | Take4,
    Take123 = Take1 | Take2 | Take3,
    Take1234 = Take1 | Take2 | Take3 | Take4,
    Take01 = NoArgs | Take1,
    Take012 = NoArgs | Take1 | Take2,
}

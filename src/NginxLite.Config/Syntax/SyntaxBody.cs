namespace NginxLite.Config.Syntax;

/// <summary>
/// The statements of a file or block and what ended them: <c>}</c>, end of file, an error, or
/// <see cref="SyntaxTokenKind.Propagated"/> when the last child block already stopped at an error.
/// </summary>
internal sealed class SyntaxBody
{
    public SyntaxBody(IEnumerable<SyntaxNode> children, SyntaxToken stop)
    {
        // Pidgin's Many() hands over a List; keep it as one so the expander can index and size its lists.
        Children = children as List<SyntaxNode> ?? [.. children];
        Stop = stop;
    }

    public List<SyntaxNode> Children { get; }

    public SyntaxToken Stop { get; }
}

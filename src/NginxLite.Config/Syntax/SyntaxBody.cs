namespace NginxLite.Config.Syntax;

/// <summary>
/// The statements of a file or block and what ended them: <c>}</c>, end of file, an error, or
/// <see cref="SyntaxTokenKind.Propagated"/> when the last child block already stopped at an error.
/// </summary>
internal sealed class SyntaxBody
{
    public SyntaxBody(IEnumerable<SyntaxNode> children, SyntaxToken stop)
    {
        Children = children;
        Stop = stop;
    }

    public IEnumerable<SyntaxNode> Children { get; }

    public SyntaxToken Stop { get; }
}

namespace NginxLite.Config.Syntax;

/// <summary>A directive as the grammar nests it, before include expansion and numbering.</summary>
internal readonly struct SyntaxNode
{
    public SyntaxNode(SyntaxToken statement, SyntaxBody? body)
    {
        Statement = statement;
        Body = body;
    }

    public SyntaxToken Statement { get; }

    /// <summary>The block when the statement ended with <c>{</c>; null for <c>;</c>.</summary>
    public SyntaxBody? Body { get; }

    public static SyntaxNode Simple(SyntaxToken statement) => new(statement, null);

    public static SyntaxNode Block(SyntaxToken statement, SyntaxBody body) => new(statement, body);
}

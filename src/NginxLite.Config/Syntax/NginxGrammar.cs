using Pidgin;
using static Pidgin.Parser;

namespace NginxLite.Config.Syntax;

/// <summary>
/// The block structure of an nginx config over the statements of <see cref="ConfigLexer"/>:
/// <c>body = directive* stop</c>, <c>directive = simple | block-start body</c>. It never fails on a lexer's output:
/// what ended a body (<c>}</c>, end of file, an error) is a value, so a partial tree survives a syntax error and
/// <see cref="ConfigExpander"/> decides what the stop means at its level (nginx's ngx_conf_parse).
/// </summary>
internal static class NginxGrammar
{
    private static readonly Parser<SyntaxToken, SyntaxToken> SimpleStatement =
        Parser<SyntaxToken>.Token(t => t.Kind == SyntaxTokenKind.Simple).Labelled("directive terminated by \";\"");

    private static readonly Parser<SyntaxToken, SyntaxToken> BlockStatement =
        Parser<SyntaxToken>.Token(t => t.Kind == SyntaxTokenKind.BlockStart).Labelled("directive followed by \"{\"");

    private static readonly Parser<SyntaxToken, SyntaxToken> Stop =
        OneOf(
            Parser<SyntaxToken>.Token(t => t.Kind is SyntaxTokenKind.BlockEnd or SyntaxTokenKind.End or SyntaxTokenKind.Error),
            Parser<SyntaxToken>.End.ThenReturn(SyntaxToken.Propagated))
        .Labelled("\"}\" or end of file");

    private static readonly Parser<SyntaxToken, SyntaxNode> Directive =
        Rec(() => OneOf(
            SimpleStatement.Select(SyntaxNode.Simple),
            Map(SyntaxNode.Block, BlockStatement, Body)))
        .Labelled("directive");

    private static readonly Parser<SyntaxToken, SyntaxBody> Body =
        Map((children, stop) => new SyntaxBody(children, stop), Directive.Many(), Stop).Labelled("block");

    /// <summary>Nest one file's statements. A <c>}</c> stop at this level is nginx's <c>unexpected "}"</c>.</summary>
    public static SyntaxBody ParseFile(List<SyntaxToken> tokens)
    {
        var result = Body.ParseReadOnlyList(tokens);
        return result.Success
            ? result.Value
            : throw new InvalidOperationException($"config grammar rejected lexer output: {result.Error}");
    }
}

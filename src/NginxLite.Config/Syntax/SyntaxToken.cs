namespace NginxLite.Config.Syntax;

/// <summary>
/// One statement as nginx's tokenizer hands it to the parser: the words of a directive with their terminator,
/// a closing brace, the end of the file, or an error. <see cref="ConfigLexer"/> makes these; <see cref="NginxGrammar"/> nests them.
/// </summary>
internal readonly struct SyntaxToken
{
    public static SyntaxToken Propagated => new(SyntaxTokenKind.Propagated, null, [], 0, 0, null);

    public SyntaxToken(SyntaxTokenKind kind, ConfigArgument? name, ConfigArgument[] arguments, int line, int endLine, string? message)
    {
        Kind = kind;
        Name = name;
        Arguments = arguments;
        Line = line;
        EndLine = endLine;
        Message = message;
    }

    public SyntaxTokenKind Kind { get; }

    /// <summary>First word (directive name) of a <see cref="SyntaxTokenKind.Simple"/> or <see cref="SyntaxTokenKind.BlockStart"/>.</summary>
    public ConfigArgument? Name { get; }

    public ConfigArgument[] Arguments { get; }

    /// <summary>Line of the first word, of the <c>}</c>, of the end of file, or where the error was found.</summary>
    public int Line { get; }

    /// <summary>Line of the <c>;</c> or <c>{</c> that ended the statement: the line nginx reports for it.</summary>
    public int EndLine { get; }

    /// <summary>The nginx message of an <see cref="SyntaxTokenKind.Error"/>.</summary>
    public string? Message { get; }

    public override string ToString() => $"{Kind} {Name} {string.Join(' ', (object[])Arguments)} @{Line}";
}

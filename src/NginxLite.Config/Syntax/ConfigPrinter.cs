using System.Text;

namespace NginxLite.Config.Syntax;

/// <summary>
/// Prints a tree back to nginx config text: one directive per line, blocks indented, every token as written
/// (<see cref="ConfigArgument.Raw"/>, <see cref="ConfigDirective.RawName"/>) so parsing the output gives the same tokens.
/// Comments are not part of the tree and are not printed.
/// </summary>
public static class ConfigPrinter
{
    public static string Print(IEnumerable<ConfigDirective> directives, string indent = "    ")
    {
        var builder = new StringBuilder();
        Print(builder, directives, indent, 0);
        return builder.ToString();
    }

    public static void Print(StringBuilder builder, IEnumerable<ConfigDirective> directives, string indent, int depth)
    {
        foreach (var directive in directives)
        {
            for (int i = 0; i < depth; i++)
            {
                builder.Append(indent);
            }

            builder.Append(directive.RawName ?? FormatToken(directive.Name));
            foreach (var argument in directive.Arguments)
            {
                builder.Append(' ').Append(FormatArgument(argument));
            }

            if (directive.Block is null)
            {
                builder.Append(";\n");
                continue;
            }

            builder.Append(" {\n");
            Print(builder, directive.Block, indent, depth + 1);
            for (int i = 0; i < depth; i++)
            {
                builder.Append(indent);
            }

            builder.Append("}\n");
        }
    }

    /// <summary>
    /// The raw token as written. An argument built in code (<see cref="ConfigArgument.Bare"/>) whose value would not
    /// read back as one word is printed double-quoted instead.
    /// </summary>
    public static string FormatArgument(ConfigArgument argument) =>
        argument.Quote != ArgumentQuote.None || ReadsBackAsOneWord(argument.Raw) ? argument.Raw : FormatToken(argument.Value);

    private static bool ReadsBackAsOneWord(string raw)
    {
        if (raw.Length == 0)
        {
            return false;
        }

        if (raw.AsSpan().IndexOfAny(" \t\r\n;{}#\"'\\") < 0)
        {
            return true;
        }

        var tokens = ConfigLexer.Tokenize(Encoding.UTF8.GetBytes("x " + raw + ";"), Encoding.UTF8, commandLine: true);
        return tokens[0] is { Kind: SyntaxTokenKind.Simple, Arguments: [var only] } && only.Raw == raw;
    }

    /// <summary>A value as a token: bare when nginx reads it back unchanged, else double-quoted with escapes.</summary>
    public static string FormatToken(string value)
    {
        if (value.Length > 0 && value.AsSpan().IndexOfAny(" \t\r\n;{}#\"'\\") < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }
}

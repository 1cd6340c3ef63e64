using System.Text;
using NginxLite.Config.Syntax;

namespace NginxLite.Config.Formatting;

/// <summary>
/// <c>nginxlite fmt</c>: lays a config out in nginx-config-formatter's (nginxfmt's) style without changing one token:
/// 4-space indents, one directive per line, <c>{</c> on the directive's line, comments kept where they were
/// (trailing ones stay trailing), words exactly as written (quotes, escapes), blank lines between statements kept
/// but collapsed to one (none right after <c>{</c>, before <c>}</c> or at the ends of the file), a directive that
/// spans lines keeps its line breaks with continuation lines at its own indent (as nginxfmt), and
/// <c>*_by_lua_block</c> bodies kept byte for byte. Includes are not followed: each file is formatted on its own.
/// </summary>
public static class ConfigFormatter
{
    private const string Indent = "    ";

    /// <summary>Format the bytes of a file; the result is in the file's encoding (UTF-8, else Latin-1, as the parser reads it).</summary>
    public static bool TryFormat(byte[] content, out byte[] formatted, out FormatError? error)
    {
        var encoding = ConfigSource.EncodingOf(content);
        var ok = TryFormat(encoding.GetString(content), out var text, out error);
        formatted = ok ? encoding.GetBytes(text) : [];
        return ok;
    }

    public static bool TryFormat(string text, out string formatted, out FormatError? error)
    {
        formatted = "";
        if (!FormatTokenizer.TryTokenize(text, out var tokens, out error))
        {
            return false;
        }

        formatted = Layout(tokens);
        return true;
    }

    private static string Layout(List<FormatToken> tokens)
    {
        var output = new StringBuilder();
        int depth = 0;
        bool lineOpen = false;      // the current output line has text
        bool mustBreak = false;     // it ends in a comment: nothing more may follow on it
        bool inStatement = false;   // words written, no ; or { yet
        bool afterOpen = true;      // nothing since the last { (or the start of the file): no blank line here

        void NewLine(int newlinesBefore)
        {
            if (lineOpen)
            {
                output.Append('\n');
            }

            if (newlinesBefore >= 2 && !afterOpen && !inStatement)
            {
                output.Append('\n');
            }

            for (int i = 0; i < depth; i++)
            {
                output.Append(Indent);
            }

            lineOpen = true;
            mustBreak = false;
        }

        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case FormatTokenKind.Word:
                    if (!inStatement || token.NewlinesBefore > 0 || mustBreak)
                    {
                        NewLine(token.NewlinesBefore);
                    }
                    else if (!token.Glued)
                    {
                        output.Append(' ');
                    }

                    output.Append(token.Text);
                    inStatement = true;
                    afterOpen = false;
                    break;

                case FormatTokenKind.Semicolon:
                    if (mustBreak)
                    {
                        NewLine(0);
                    }

                    output.Append(';');
                    inStatement = false;
                    break;

                case FormatTokenKind.BlockOpen or FormatTokenKind.LuaBlock:
                    if (mustBreak)
                    {
                        NewLine(0);
                    }
                    else
                    {
                        output.Append(' ');
                    }

                    output.Append(token.Text);
                    inStatement = false;
                    if (token.Kind == FormatTokenKind.BlockOpen)
                    {
                        depth++;
                        afterOpen = true;
                    }

                    break;

                case FormatTokenKind.BlockClose:
                    depth--;
                    afterOpen = true;
                    NewLine(0);
                    output.Append('}');
                    afterOpen = false;
                    break;

                case FormatTokenKind.Comment:
                    if (token.NewlinesBefore > 0 || !lineOpen)
                    {
                        NewLine(token.NewlinesBefore);
                    }
                    else
                    {
                        output.Append(' ');
                    }

                    output.Append(token.Text);
                    mustBreak = true;
                    afterOpen = false;
                    break;
            }
        }

        if (lineOpen)
        {
            output.Append('\n');
        }

        return output.ToString();
    }
}

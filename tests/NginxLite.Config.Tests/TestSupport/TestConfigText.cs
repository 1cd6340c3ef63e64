using System.Text;
using NginxLite.Config.Syntax;

namespace NginxLite.Config.Tests.TestSupport;

/// <summary>
/// A tiny test-only nginx tokenizer (words, quotes, comments, <c>;</c>, <c>{ }</c>) so binder tests need not wait
/// for the real parser. No include expansion, no variables syntax checks.
/// </summary>
public static class TestConfigText
{
    public static ConfigDocument Parse(string text, string file = "/t/nginx.conf")
    {
        var ordinal = 0;
        var pos = 0;
        var line = 1;
        var top = ParseBlock(text, ref pos, ref line, ref ordinal, file, topLevel: true);
        return new ConfigDocument(file, top, [], null);
    }

    private static List<ConfigDirective> ParseBlock(string s, ref int pos, ref int line, ref int ordinal, string file, bool topLevel)
    {
        var list = new List<ConfigDirective>();
        while (true)
        {
            var words = new List<ConfigArgument>();
            var startLine = 0;
            while (true)
            {
                var token = Next(s, ref pos, ref line, out var tokenLine);
                if (token is null)
                {
                    if (words.Count > 0 || !topLevel)
                    {
                        throw new FormatException("unexpected end of file");
                    }

                    return list;
                }

                if (token.Raw == "}" && token.Quote == ArgumentQuote.None)
                {
                    if (words.Count > 0 || topLevel)
                    {
                        throw new FormatException($"unexpected \"}}\" at line {tokenLine}");
                    }

                    return list;
                }

                if (token.Quote == ArgumentQuote.None && token.Raw is ";" or "{")
                {
                    var name = words[0].Value;
                    var me = ordinal++;
                    List<ConfigDirective>? block = null;
                    var endLine = 0;
                    if (token.Raw == "{")
                    {
                        block = ParseBlock(s, ref pos, ref line, ref ordinal, file, topLevel: false);
                        endLine = line;
                    }

                    list.Add(new ConfigDirective(name, words.Skip(1).ToList(), block, new SourcePosition(file, startLine), me,
                        block is null ? me : ordinal++) { EndLine = endLine });
                    break;
                }

                if (words.Count == 0)
                {
                    startLine = tokenLine;
                }

                words.Add(token);
            }
        }
    }

    private static ConfigArgument? Next(string s, ref int pos, ref int line, out int tokenLine)
    {
        while (pos < s.Length)
        {
            if (s[pos] == '\n')
            {
                line++;
                pos++;
            }
            else if (char.IsWhiteSpace(s[pos]))
            {
                pos++;
            }
            else if (s[pos] == '#')
            {
                while (pos < s.Length && s[pos] != '\n')
                {
                    pos++;
                }
            }
            else
            {
                break;
            }
        }

        tokenLine = line;
        if (pos >= s.Length)
        {
            return null;
        }

        var start = pos;
        var c = s[pos];
        if (c is ';' or '{' or '}')
        {
            pos++;
            return ConfigArgument.Bare(c.ToString());
        }

        if (c is '"' or '\'')
        {
            pos++;
            while (pos < s.Length && s[pos] != c)
            {
                if (s[pos] == '\\' && pos + 1 < s.Length)
                {
                    pos++;
                }

                if (s[pos] == '\n')
                {
                    line++;
                }

                pos++;
            }

            pos++;
            return new ConfigArgument(Unescape(s[(start + 1)..(pos - 1)]), c == '"' ? ArgumentQuote.Double : ArgumentQuote.Single, s[start..pos]);
        }

        while (pos < s.Length && !char.IsWhiteSpace(s[pos]) && s[pos] is not (';' or '{' or '}'))
        {
            // ${var} keeps its braces inside a word; a backslash takes the next character literally.
            if (s[pos] == '$' && pos + 1 < s.Length && s[pos + 1] == '{')
            {
                var close = s.IndexOf('}', pos);
                pos = close < 0 ? s.Length : close + 1;
                continue;
            }

            pos += s[pos] == '\\' && pos + 1 < s.Length ? 2 : 1;
        }

        var raw = s[start..pos];
        return new ConfigArgument(Unescape(raw), ArgumentQuote.None, raw);
    }

    /// <summary>nginx's unescaping of every token: \" \' \\ \t \r \n; other backslashes are kept.</summary>
    private static string Unescape(string raw)
    {
        var sb = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 1 < raw.Length && raw[i + 1] is '"' or '\'' or '\\' or 't' or 'r' or 'n')
            {
                i++;
                sb.Append(raw[i] switch { 't' => '\t', 'r' => '\r', 'n' => '\n', var other => other });
                continue;
            }

            sb.Append(raw[i]);
        }

        return sb.ToString();
    }
}

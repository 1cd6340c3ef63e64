namespace NginxLite.Config.Formatting;

/// <summary>
/// Finds the end of a <c>*_by_lua_block { … }</c> body the way lua-nginx-module's
/// <c>ngx_http_lua_conf_read_lua_token</c> does: braces are counted outside Lua strings (<c>"…"</c>, <c>'…'</c>,
/// long brackets <c>[[…]]</c> / <c>[==[…]==]</c>) and comments (<c>-- …</c>, <c>--[[…]]</c>).
/// </summary>
internal static class LuaBlockScanner
{
    /// <summary>From the opening <c>{</c> at <paramref name="pos"/> to just after its matching <c>}</c>.</summary>
    public static bool TrySkip(string text, ref int pos, ref int line)
    {
        int depth = 0;
        while (pos < text.Length)
        {
            char c = text[pos];
            switch (c)
            {
                case '\n':
                    line++;
                    pos++;
                    break;
                case '{':
                    depth++;
                    pos++;
                    break;
                case '}':
                    pos++;
                    if (--depth == 0)
                    {
                        return true;
                    }

                    break;
                case '"' or '\'':
                    pos++;
                    while (pos < text.Length && text[pos] != c && text[pos] != '\n')
                    {
                        pos += text[pos] == '\\' ? 2 : 1;
                    }

                    pos++;
                    break;
                case '[' when LongBracketLevel(text, pos) is var level and >= 0:
                    SkipLongBracket(text, ref pos, ref line, level);
                    break;
                case '-' when pos + 1 < text.Length && text[pos + 1] == '-':
                    pos += 2;
                    if (pos < text.Length && text[pos] == '[' && LongBracketLevel(text, pos) is var commentLevel and >= 0)
                    {
                        SkipLongBracket(text, ref pos, ref line, commentLevel);
                        break;
                    }

                    while (pos < text.Length && text[pos] != '\n')
                    {
                        pos++;
                    }

                    break;
                default:
                    pos++;
                    break;
            }
        }

        return false;
    }

    /// <summary><c>[[</c> is level 0, <c>[=[</c> level 1 …; -1 when <paramref name="pos"/> does not open a long bracket.</summary>
    private static int LongBracketLevel(string text, int pos)
    {
        int i = pos + 1;
        while (i < text.Length && text[i] == '=')
        {
            i++;
        }

        return i < text.Length && text[i] == '[' ? i - pos - 1 : -1;
    }

    private static void SkipLongBracket(string text, ref int pos, ref int line, int level)
    {
        var close = "]" + new string('=', level) + "]";
        int end = text.IndexOf(close, pos + level + 2, StringComparison.Ordinal);
        end = end < 0 ? text.Length : end + close.Length;
        for (int i = pos; i < end; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        pos = end;
    }
}

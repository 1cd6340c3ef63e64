namespace NginxLite.Config.Formatting;

/// <summary>
/// Splits a config into words, <c>;</c> <c>{</c> <c>}</c> and comments by nginx's lexical rules
/// (<c>ngx_conf_read_token</c>, as <see cref="Syntax.ConfigLexer"/> follows them): a <c>#</c> starts a comment only
/// where a word could start; a quote opens a string only at the start of a word and must be followed by a space,
/// <c>;</c>, <c>{</c> or <c>)</c>; <c>\</c> escapes the next character; <c>{</c> right after <c>$</c> belongs to the word.
/// It keeps what the parser drops (comments, line breaks) so the formatter can put them back.
/// </summary>
internal sealed class FormatTokenizer
{
    private readonly string _text;
    private readonly List<FormatToken> _tokens = [];
    private int _pos;
    private int _line = 1;

    private FormatTokenizer(string text) => _text = text;

    public static bool TryTokenize(string text, out List<FormatToken> tokens, out FormatError? error)
    {
        var tokenizer = new FormatTokenizer(text);
        error = tokenizer.Run();
        tokens = tokenizer._tokens;
        return error is null;
    }

    private FormatError? Run()
    {
        var words = 0;
        var depth = 0;
        var firstWord = "";
        var afterQuote = false;
        while (true)
        {
            int newlines = 0;
            int before = _pos;
            while (_pos < _text.Length && _text[_pos] is ' ' or '\t' or '\r' or '\n')
            {
                if (_text[_pos++] == '\n')
                {
                    newlines++;
                    _line++;
                }
            }

            bool spaced = _pos > before;
            if (_pos >= _text.Length)
            {
                return words > 0 || depth > 0 ? new FormatError("unexpected end of file, expecting \";\" or \"}\"", _line) : null;
            }

            char ch = _text[_pos];
            if (afterQuote && !spaced && ch is not (';' or '{' or ')'))
            {
                return new FormatError($"unexpected \"{ch}\"", _line);
            }

            afterQuote = false;
            switch (ch)
            {
                case ';' or '{' when words == 0:
                    return new FormatError($"unexpected \"{ch}\"", _line);

                case ';':
                    Add(FormatTokenKind.Semicolon, ";", newlines, false, 1);
                    words = 0;
                    break;

                case '{' when IsLuaBlock(firstWord):
                    var start = _pos;
                    var startLine = _line;
                    if (!LuaBlockScanner.TrySkip(_text, ref _pos, ref _line))
                    {
                        return new FormatError($"Lua code block missing the closing catch \"}}\" (block started at line {startLine})", _line);
                    }

                    _tokens.Add(new FormatToken(FormatTokenKind.LuaBlock, _text[start.._pos], newlines, false, startLine));
                    words = 0;
                    break;

                case '{':
                    Add(FormatTokenKind.BlockOpen, "{", newlines, false, 1);
                    words = 0;
                    depth++;
                    break;

                case '}' when words > 0 || depth == 0:
                    return new FormatError("unexpected \"}\"", _line);

                case '}':
                    Add(FormatTokenKind.BlockClose, "}", newlines, false, 1);
                    depth--;
                    break;

                case '#':
                    int end = _text.IndexOf('\n', _pos);
                    end = end < 0 ? _text.Length : end;
                    Add(FormatTokenKind.Comment, _text[_pos..end].TrimEnd(), newlines, false, end - _pos);
                    break;

                default:
                    var wordLine = _line;
                    int wordStart = _pos;
                    bool quoted = ch is '"' or '\'';
                    if (!(quoted ? ScanQuoted(ch) : ScanBare()))
                    {
                        return new FormatError($"unexpected end of file, expecting \";\" or \"}}\"", _line);
                    }

                    var word = _text[wordStart.._pos];
                    if (words == 0)
                    {
                        firstWord = quoted ? word[1..^1] : word;
                    }

                    _tokens.Add(new FormatToken(FormatTokenKind.Word, word, newlines, !spaced && _tokens.Count > 0, wordLine));
                    words++;
                    afterQuote = quoted;
                    break;
            }
        }
    }

    /// <summary>lua-nginx-module's block directives all end so (content_by_lua_block, set_by_lua_block $v, …); crossplane uses the same test.</summary>
    private static bool IsLuaBlock(string name) => name.EndsWith("_by_lua_block", StringComparison.Ordinal);

    private void Add(FormatTokenKind kind, string text, int newlines, bool glued, int length)
    {
        _tokens.Add(new FormatToken(kind, text, newlines, glued, _line));
        _pos += length;
    }

    private bool ScanQuoted(char quote)
    {
        _pos++;
        while (_pos < _text.Length)
        {
            char c = _text[_pos++];
            if (c == '\n')
            {
                _line++;
            }
            else if (c == '\\' && _pos < _text.Length)
            {
                if (_text[_pos++] == '\n')
                {
                    _line++;
                }
            }
            else if (c == quote)
            {
                return true;
            }
        }

        return false;
    }

    private bool ScanBare()
    {
        bool variable = false;
        while (_pos < _text.Length)
        {
            char c = _text[_pos];
            if (c == '{' && variable)
            {
                // nginx leaves "variable" set here, so "${{" keeps both braces in the word.
                _pos++;
                continue;
            }

            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '{')
            {
                return true;
            }

            _pos++;
            variable = c == '$';
            if (c == '\\')
            {
                if (_pos >= _text.Length)
                {
                    return false;
                }

                if (_text[_pos++] == '\n')
                {
                    _line++;
                }
            }
        }

        // nginx needs a ";" or "{" after the last word; the caller reports the end of file.
        return true;
    }
}

using System.Buffers;
using System.Text;

namespace NginxLite.Config.Syntax;

/// <summary>
/// The lexical rules of nginx 1.22 (<c>ngx_conf_read_token</c> in src/core/ngx_conf_file.c), byte for byte:
/// bare words, <c>'…'</c>/<c>"…"</c>, backslash escapes, <c>$var</c>/<c>${var}</c>, <c>#</c> comments, and the
/// exact messages and lines of its errors. It is a state machine rather than a combinator grammar because nginx's
/// rules are stateful (the "need space" after a quote, <c>{</c> after <c>$</c>, the 4 KB read buffer); the block
/// structure on top of it is the Pidgin grammar in <see cref="NginxGrammar"/>.
/// </summary>
internal sealed class ConfigLexer
{
    /// <summary>NGX_CONF_BUFFER: a token (or comment) that fills nginx's read buffer is "too long".</summary>
    private const int BufferSize = 4096;

    // Bytes that can change the state inside a bare word, a "…" string, a '…' string, and a comment.
    private static readonly SearchValues<byte> BareWordStops = SearchValues.Create(" \t\r\n;{\\$"u8);
    private static readonly SearchValues<byte> DoubleQuotedStops = SearchValues.Create("\"\\\n"u8);
    private static readonly SearchValues<byte> SingleQuotedStops = SearchValues.Create("'\\\n"u8);

    private readonly byte[] _text;
    private readonly Encoding _encoding;
    private readonly bool _commandLine;
    private readonly List<ConfigArgument> _words = [];
    private readonly WordCache _cache;
    private int _pos;
    private int _line = 1;

    private ConfigLexer(byte[] text, Encoding encoding, bool commandLine, WordCache cache)
    {
        _text = text;
        _encoding = encoding;
        _commandLine = commandLine;
        _cache = cache;
    }

    /// <summary>All statements of one file (or of the <c>-g</c> text), ending with an End or Error token.</summary>
    /// <param name="words">Shared by the files of one load (same <paramref name="encoding"/> only: a word's value depends on it),
    /// so a config of a thousand includes decodes its common words once; a fresh cache when null.</param>
    public static List<SyntaxToken> Tokenize(byte[] text, Encoding encoding, bool commandLine, WordCache? words = null)
    {
        var lexer = new ConfigLexer(text, encoding, commandLine, words ?? new WordCache());
        var tokens = new List<SyntaxToken>(Math.Max(16, text.Length / 24));
        while (true)
        {
            var token = lexer.Next();
            tokens.Add(token);
            if (token.Kind is SyntaxTokenKind.End or SyntaxTokenKind.Error)
            {
                return tokens;
            }
        }
    }

    private static bool IsSpace(byte ch) => ch is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private SyntaxToken Next()
    {
        bool needSpace = false, lastSpace = true, sharpComment = false, variable = false;
        bool escaped = false, singleQuoted = false, doubleQuoted = false;
        var text = _text;
        int pos = _pos;
        int line = _line;
        int start = pos;
        int startLine = line;
        int firstLine = 0;
        _words.Clear();
        SyntaxToken result;

        while (true)
        {
            if (pos >= text.Length)
            {
                if (_words.Count > 0 || !lastSpace)
                {
                    result = Error(line, _commandLine
                        ? "unexpected end of parameter, expecting \";\""
                        : "unexpected end of file, expecting \";\" or \"}\"");
                    goto Done;
                }

                result = new SyntaxToken(SyntaxTokenKind.End, null, [], line, line, null);
                goto Done;
            }

            // nginx reads through a 4 KB buffer and gives up when one token fills it (the -g text is not buffered).
            if (!_commandLine && pos - start == BufferSize)
            {
                line = startLine;
                if (doubleQuoted || singleQuoted)
                {
                    result = Error(line, $"too long parameter, probably missing terminating \"{(doubleQuoted ? '"' : '\'')}\" character");
                    goto Done;
                }

                result = Error(line, $"too long parameter \"{Decode(text.AsSpan(start, 10))}...\" started");
                goto Done;
            }

            // Fast path: skip bytes that cannot change the state (no line feeds: they count lines), staying inside
            // the 4 KB window so the "too long" check above still fires at the same byte as in nginx.
            if (!lastSpace && !needSpace && !escaped && !variable || sharpComment)
            {
                int limit = _commandLine ? text.Length : Math.Min(text.Length, start + BufferSize);
                var window = text.AsSpan(pos, limit - pos);
                int skip = sharpComment ? window.IndexOf((byte)'\n')
                    : doubleQuoted ? window.IndexOfAny(DoubleQuotedStops)
                    : singleQuoted ? window.IndexOfAny(SingleQuotedStops)
                    : window.IndexOfAny(BareWordStops);
                if (skip != 0)
                {
                    pos += skip < 0 ? window.Length : skip;
                    continue;
                }
            }

            byte ch = text[pos++];

            if (ch == (byte)'\n')
            {
                line++;
                sharpComment = false;
            }

            if (sharpComment)
            {
                continue;
            }

            if (escaped)
            {
                escaped = false;
                continue;
            }

            if (needSpace)
            {
                if (IsSpace(ch))
                {
                    lastSpace = true;
                    needSpace = false;
                    continue;
                }

                if (ch == (byte)';')
                {
                    result = Statement(SyntaxTokenKind.Simple, firstLine, line);
                    goto Done;
                }

                if (ch == (byte)'{')
                {
                    result = Statement(SyntaxTokenKind.BlockStart, firstLine, line);
                    goto Done;
                }

                // nginx lets ")" follow a quoted word (if ($a = "b")); the ")" then starts a new word.
                if (ch != (byte)')')
                {
                    result = Error(line, $"unexpected \"{(char)ch}\"");
                    goto Done;
                }

                lastSpace = true;
                needSpace = false;
            }

            if (lastSpace)
            {
                start = pos - 1;
                startLine = line;

                if (IsSpace(ch))
                {
                    continue;
                }

                switch (ch)
                {
                    case (byte)';':
                    case (byte)'{':
                        if (_words.Count == 0)
                        {
                            result = Error(line, $"unexpected \"{(char)ch}\"");
                            goto Done;
                        }

                        result = Statement(ch == (byte)'{' ? SyntaxTokenKind.BlockStart : SyntaxTokenKind.Simple, firstLine, line);
                        goto Done;

                    case (byte)'}':
                        if (_words.Count != 0)
                        {
                            result = Error(line, "unexpected \"}\"");
                            goto Done;
                        }

                        result = new SyntaxToken(SyntaxTokenKind.BlockEnd, null, [], line, line, null);
                        goto Done;

                    case (byte)'#':
                        sharpComment = true;
                        continue;

                    case (byte)'\\':
                        escaped = true;
                        lastSpace = false;
                        continue;

                    case (byte)'"':
                        start++;
                        doubleQuoted = true;
                        lastSpace = false;
                        continue;

                    case (byte)'\'':
                        start++;
                        singleQuoted = true;
                        lastSpace = false;
                        continue;

                    case (byte)'$':
                        variable = true;
                        lastSpace = false;
                        continue;

                    default:
                        lastSpace = false;
                        break;
                }
            }
            else
            {
                // "${" does not open a block: it is the start of a ${name} variable.
                if (ch == (byte)'{' && variable)
                {
                    continue;
                }

                variable = false;

                if (ch == (byte)'\\')
                {
                    escaped = true;
                    continue;
                }

                if (ch == (byte)'$')
                {
                    variable = true;
                    continue;
                }

                var quote = ArgumentQuote.None;
                bool found = false;
                if (doubleQuoted)
                {
                    if (ch == (byte)'"')
                    {
                        doubleQuoted = false;
                        needSpace = true;
                        found = true;
                        quote = ArgumentQuote.Double;
                    }
                }
                else if (singleQuoted)
                {
                    if (ch == (byte)'\'')
                    {
                        singleQuoted = false;
                        needSpace = true;
                        found = true;
                        quote = ArgumentQuote.Single;
                    }
                }
                else if (IsSpace(ch) || ch == (byte)';' || ch == (byte)'{')
                {
                    lastSpace = true;
                    found = true;
                }

                if (found)
                {
                    if (_words.Count == 0)
                    {
                        firstLine = startLine;
                    }

                    _words.Add(MakeWord(start, pos - 1, quote));

                    if (ch == (byte)';')
                    {
                        result = Statement(SyntaxTokenKind.Simple, firstLine, line);
                        goto Done;
                    }

                    if (ch == (byte)'{')
                    {
                        result = Statement(SyntaxTokenKind.BlockStart, firstLine, line);
                        goto Done;
                    }
                }
            }
        }

    Done:
        _pos = pos;
        _line = line;
        return result;
    }

    private static SyntaxToken Error(int line, string message) =>
        new(SyntaxTokenKind.Error, null, [], line, line, message);

    private SyntaxToken Statement(SyntaxTokenKind kind, int firstLine, int line)
    {
        var name = _words[0];
        var arguments = _words.Count == 1 ? [] : new ConfigArgument[_words.Count - 1];
        _words.CopyTo(1, arguments, 0, arguments.Length);
        return new SyntaxToken(kind, name, arguments, firstLine, line, null);
    }

    /// <summary>A word spans [start, end) without its quotes; the raw token includes them.</summary>
    private ConfigArgument MakeWord(int start, int end, ArgumentQuote quote)
    {
        var raw = quote == ArgumentQuote.None ? _text.AsSpan(start, end - start) : _text.AsSpan(start - 1, end - start + 2);

        // Configs repeat the same words (names, "on", "$host", ports): share one immutable argument per spelling.
        if (_cache.TryGet(raw, out var cached))
        {
            return cached;
        }

        var inner = _text.AsSpan(start, end - start);
        string value = ArgumentUnescaper.Unescape(inner, _encoding);
        var word = quote == ArgumentQuote.None && inner.IndexOf((byte)'\\') < 0
            ? new ConfigArgument(value, quote, value)
            : new ConfigArgument(value, quote, Decode(raw));
        _cache.Add(raw, word);
        return word;
    }

    private string Decode(ReadOnlySpan<byte> bytes) => _encoding.GetString(bytes);
}

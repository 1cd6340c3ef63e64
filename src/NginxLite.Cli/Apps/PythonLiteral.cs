using System.Globalization;
using System.Text;

namespace NginxLite.Cli.Apps;

/// <summary>
/// Reads one Python literal (the subset <c>ast.literal_eval</c> accepts that a gunicorn.conf.py uses): strings
/// (<c>'…'</c>, <c>"…"</c>, triple-quoted, <c>r</c> prefix, adjacent strings joined), integers and floats (with
/// <c>_</c> and a sign), <c>True</c>/<c>False</c>/<c>None</c>, lists, tuples and dicts of these. Values come back as
/// string, long, double, bool, null, <see cref="List{T}"/> of object? or <see cref="Dictionary{TKey,TValue}"/>.
/// </summary>
internal sealed class PythonLiteral
{
    private readonly string _text;
    private int _at;

    private PythonLiteral(string text) => _text = text;

    /// <summary>True when <paramref name="text"/> is exactly one literal (plus spaces and a trailing <c># comment</c>).</summary>
    public static bool TryParse(string text, out object? value)
    {
        var p = new PythonLiteral(text);
        value = null;
        try
        {
            value = p.Value();
            p.Space();
            return p._at == p._text.Length;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Bracket depth at the end of <paramref name="text"/> (strings and comments skipped): &gt; 0 = continues.</summary>
    public static int OpenBrackets(string text)
    {
        var depth = 0;
        char quote = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            switch (c)
            {
                case '#':
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    break;
                case '\'' or '"': quote = c; break;
                case '[' or '(' or '{': depth++; break;
                case ']' or ')' or '}': depth--; break;
            }
        }

        return depth;
    }

    private object? Value()
    {
        Space();
        if (_at >= _text.Length)
        {
            throw new FormatException();
        }

        var c = _text[_at];
        switch (c)
        {
            case '[':
                _at++;
                return Sequence(']');
            case '(':
                _at++;
                return Sequence(')');
            case '{':
                _at++;
                return Mapping();
            case '\'' or '"':
                return Strings();
            case 'r' or 'R' when _at + 1 < _text.Length && _text[_at + 1] is '\'' or '"':
                return Strings();
        }

        if (char.IsAsciiDigit(c) || c is '-' or '+' or '.')
        {
            return Number();
        }

        var start = _at;
        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] == '_'))
        {
            _at++;
        }

        return _text[start.._at] switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            _ => throw new FormatException(),
        };
    }

    private List<object?> Sequence(char close)
    {
        var items = new List<object?>();
        while (true)
        {
            Space();
            if (Eat(close))
            {
                return items;
            }

            items.Add(Value());
            Space();
            if (!Eat(','))
            {
                Space();
                return Eat(close) ? items : throw new FormatException();
            }
        }
    }

    private Dictionary<string, object?> Mapping()
    {
        var items = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            Space();
            if (Eat('}'))
            {
                return items;
            }

            var key = Value() as string ?? throw new FormatException();
            Space();
            if (!Eat(':'))
            {
                throw new FormatException();
            }

            items[key] = Value();
            Space();
            if (!Eat(','))
            {
                Space();
                return Eat('}') ? items : throw new FormatException();
            }
        }
    }

    private string Strings()
    {
        var b = new StringBuilder();
        do
        {
            b.Append(OneString());
            Space();
        }
        while (_at < _text.Length && (_text[_at] is '\'' or '"' || (_text[_at] is 'r' or 'R' && _at + 1 < _text.Length && _text[_at + 1] is '\'' or '"')));

        return b.ToString();
    }

    private string OneString()
    {
        var raw = _text[_at] is 'r' or 'R';
        if (raw)
        {
            _at++;
        }

        var q = _text[_at];
        var delimiter = _at + 2 < _text.Length && _text[_at + 1] == q && _text[_at + 2] == q ? new string(q, 3) : q.ToString();
        _at += delimiter.Length;
        var b = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length || (delimiter.Length == 1 && _text[_at] == '\n'))
            {
                throw new FormatException();
            }

            if (string.CompareOrdinal(_text, _at, delimiter, 0, delimiter.Length) == 0)
            {
                _at += delimiter.Length;
                return b.ToString();
            }

            var c = _text[_at++];
            if (c != '\\' || _at >= _text.Length)
            {
                b.Append(c);
                continue;
            }

            var e = _text[_at++];
            if (raw)
            {
                b.Append('\\').Append(e);
                continue;
            }

            // Python's escapes; an unknown one keeps its backslash, as Python does.
            switch (e)
            {
                case 'n': b.Append('\n'); break;
                case 't': b.Append('\t'); break;
                case 'r': b.Append('\r'); break;
                case '0': b.Append('\0'); break;
                case '\\' or '\'' or '"': b.Append(e); break;
                case '\n': break;
                case 'x' when _at + 2 <= _text.Length && int.TryParse(_text.AsSpan(_at, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var x):
                    b.Append((char)x);
                    _at += 2;
                    break;
                default: b.Append('\\').Append(e); break;
            }
        }
    }

    private object Number()
    {
        var start = _at;
        if (_text[_at] is '-' or '+')
        {
            _at++;
        }

        while (_at < _text.Length && (char.IsAsciiLetterOrDigit(_text[_at]) || _text[_at] is '_' or '.'))
        {
            _at++;
        }

        var token = _text[start.._at].Replace("_", "", StringComparison.Ordinal);
        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        if (token.Any(char.IsAsciiLetter) && !token.Contains('e', StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException();
        }

        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException();
    }

    private bool Eat(char c)
    {
        if (_at < _text.Length && _text[_at] == c)
        {
            _at++;
            return true;
        }

        return false;
    }

    /// <summary>Spaces, newlines inside brackets, and <c># comments</c>.</summary>
    private void Space()
    {
        while (_at < _text.Length)
        {
            if (char.IsWhiteSpace(_text[_at]))
            {
                _at++;
            }
            else if (_text[_at] == '#')
            {
                while (_at < _text.Length && _text[_at] != '\n')
                {
                    _at++;
                }
            }
            else
            {
                return;
            }
        }
    }
}

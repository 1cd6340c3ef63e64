using System.Text;
using System.Text.RegularExpressions;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>A PCRE2 → .NET rewrite that keeps, for every output character, the index of its source character.</summary>
internal sealed class PcreTranslator
{
    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alpha"] = "a-zA-Z", ["digit"] = "0-9", ["alnum"] = "a-zA-Z0-9", ["upper"] = "A-Z", ["lower"] = "a-z",
        ["space"] = "\\s", ["xdigit"] = "0-9A-Fa-f", ["word"] = "\\w", ["blank"] = " \\t",
        ["punct"] = "!-/:-@\\[-`{-~", ["cntrl"] = "\\x00-\\x1f\\x7f", ["print"] = "\\x20-\\x7e", ["graph"] = "\\x21-\\x7e",
    };

    private readonly string _p;
    private readonly StringBuilder _out = new();
    private readonly List<int> _map = [];
    private readonly Stack<int> _groups = new();
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _atom = -1;

    private PcreTranslator(string pattern) => _p = pattern;

    public readonly record struct Failure(string Message, int Offset);

    public static bool TryTranslate(string pattern, out string translated, out IReadOnlyList<int> map, out Failure? failure)
    {
        var t = new PcreTranslator(pattern);
        failure = t.Run();
        translated = t._out.ToString();
        map = t._map;
        return failure is null;
    }

    private Failure? Run()
    {
        var i = 0;
        while (i < _p.Length)
        {
            var c = _p[i];
            if (c == '\\' && i + 1 < _p.Length)
            {
                i = Escape(i);
            }
            else if (c == '[')
            {
                i = CharClass(i);
            }
            else if (c == '(')
            {
                var f = Group(ref i);
                if (f is not null)
                {
                    return f;
                }
            }
            else if (c == ')')
            {
                _atom = _groups.Count > 0 ? _groups.Pop() : _out.Length;
                Emit(")", i++);
            }
            else if (c is '*' or '+' or '?' or '{')
            {
                i = Quantifier(i);
            }
            else
            {
                _atom = _out.Length;
                Emit(c.ToString(), i++);
            }
        }

        return null;
    }

    private int Escape(int i)
    {
        var next = _p[i + 1];
        if (next == 'Q')
        {
            var end = _p.IndexOf("\\E", i + 2, StringComparison.Ordinal);
            var literal = end < 0 ? _p[(i + 2)..] : _p[(i + 2)..end];
            _atom = _out.Length;
            Emit(Regex.Escape(literal), i);
            return end < 0 ? _p.Length : end + 2;
        }

        _atom = _out.Length;
        Emit(next switch
        {
            'h' => "[ \\t]",
            'H' => "[^ \\t]",
            // PCRE2 without UTF/UCP (nginx's default) has ASCII classes; .NET's are Unicode.
            'w' => "[a-zA-Z0-9_]",
            'W' => "[^a-zA-Z0-9_]",
            'd' => "[0-9]",
            'D' => "[^0-9]",
            's' => "[\\t\\n\\v\\f\\r ]",
            'S' => "[^\\t\\n\\v\\f\\r ]",
            'b' => "(?:(?<=[a-zA-Z0-9_])(?![a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?=[a-zA-Z0-9_]))",
            'B' => "(?:(?<=[a-zA-Z0-9_])(?=[a-zA-Z0-9_])|(?<![a-zA-Z0-9_])(?![a-zA-Z0-9_]))",
            _ => _p.Substring(i, 2),
        }, i);
        return i + 2;
    }

    private int CharClass(int i)
    {
        _atom = _out.Length;
        var start = i;
        Emit("[", i++);
        if (i < _p.Length && _p[i] == '^')
        {
            Emit("^", i++);
        }

        if (i < _p.Length && _p[i] == ']')
        {
            Emit("\\]", i++);
        }

        while (i < _p.Length && _p[i] != ']')
        {
            if (_p[i] == '\\' && i + 1 < _p.Length)
            {
                Emit(_p[i + 1] switch
                {
                    'h' => " \\t",
                    'w' => "a-zA-Z0-9_",
                    'W' => "\\x00-/:-@\\[-^`{-\\uFFFF",
                    'd' => "0-9",
                    'D' => "\\x00-/:-\\uFFFF",
                    's' => "\\t\\n\\v\\f\\r ",
                    'S' => "\\x00-\\x08\\x0E-\\x1F!-\\uFFFF",
                    _ => _p.Substring(i, 2),
                }, i);
                i += 2;
            }
            else if (_p[i] == '[' && i + 1 < _p.Length && _p[i + 1] == ':'
                     && _p.IndexOf(":]", i + 2, StringComparison.Ordinal) is var close and > 0
                     && PosixClasses.TryGetValue(_p[(i + 2)..close], out var range))
            {
                Emit(range, i);
                i = close + 2;
            }
            else
            {
                Emit(_p[i] == '[' ? "\\[" : _p[i].ToString(), i);
                i++;
            }
        }

        if (i < _p.Length)
        {
            Emit("]", i++);
        }

        return start == i ? i + 1 : i;
    }

    private Failure? Group(ref int i)
    {
        var rest = _p.AsSpan(i);
        if (rest.StartsWith("(?P=", StringComparison.Ordinal))
        {
            var close = _p.IndexOf(')', i);
            if (close > 0)
            {
                _atom = _out.Length;
                Emit($"\\k<{_p[(i + 4)..close]}>", i);
                i = close + 1;
                return null;
            }
        }

        string? name = null;
        int nameStart = -1, skip = 1;
        if (rest.StartsWith("(?P<", StringComparison.Ordinal))
        {
            nameStart = i + 4;
            skip = 4;
        }
        else if ((rest.StartsWith("(?<", StringComparison.Ordinal) && rest.Length > 3 && rest[3] is not ('=' or '!'))
                 || rest.StartsWith("(?'", StringComparison.Ordinal))
        {
            nameStart = i + 3;
            skip = 3;
        }

        if (nameStart >= 0)
        {
            var end = _p.IndexOfAny(['>', '\''], nameStart);
            if (end > nameStart)
            {
                name = _p[nameStart..end];
                if (!_names.Add(name))
                {
                    return new Failure("two named subpatterns have the same name (PCRE2_DUPNAMES not set)", end + 1);
                }

                _groups.Push(_out.Length);
                Emit($"(?<{name}>", i);
                i = end + 1;
                return null;
            }
        }

        _groups.Push(_out.Length);
        Emit("(", i);
        i += skip == 4 ? 1 : 1;
        return null;
    }

    private int Quantifier(int i)
    {
        var start = i;
        if (_p[i] == '{')
        {
            var close = _p.IndexOf('}', i);
            if (close < 0 || !IsCountedRepeat(_p[(i + 1)..close]))
            {
                _atom = _out.Length;
                Emit("\\{", i);
                return i + 1;
            }

            i = close + 1;
        }
        else
        {
            i++;
        }

        var quantifier = _p[start..i];
        if (i < _p.Length && _p[i] == '?')
        {
            quantifier += "?";
            i++;
        }
        else if (i < _p.Length && _p[i] == '+' && _atom >= 0)
        {
            // Possessive: X*+ is (?>X*).
            _out.Insert(_atom, "(?>");
            _map.InsertRange(_atom, [start, start, start]);
            Emit(quantifier + ")", start);
            _atom = -1;
            return i + 1;
        }

        for (var k = 0; k < quantifier.Length; k++)
        {
            Emit(quantifier[k].ToString(), Math.Min(start + k, i - 1));
        }

        return i;
    }

    private static bool IsCountedRepeat(string inner) =>
        inner.Length > 0 && inner.All(ch => char.IsAsciiDigit(ch) || ch == ',') && char.IsAsciiDigit(inner[0]) | inner[0] == ',';

    private void Emit(string s, int source)
    {
        _out.Append(s);
        for (var k = 0; k < s.Length; k++)
        {
            _map.Add(source);
        }
    }
}

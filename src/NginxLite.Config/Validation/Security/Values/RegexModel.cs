using System.Globalization;

namespace NginxLite.Config.Validation.Security.Values;

/// <summary>
/// A PCRE pattern (as in <c>location ~</c>, <c>if (… ~ …)</c>, <c>rewrite</c>) read into <see cref="RegexNode"/>s,
/// with its capture groups by number and name, so <c>$1</c> or <c>$name</c> can be asked what it may contain.
/// Only what the lint needs is modelled; anything unknown is read as a literal, which errs towards no finding.
/// </summary>
internal sealed class RegexModel
{
    private readonly string _p;
    private int _i;
    private int _groups;

    private RegexModel(string pattern) => _p = pattern;

    public RegexNode Root { get; private set; } = RegexNode.Empty.Instance;

    public Dictionary<int, RegexNode> Numbered { get; } = [];

    public Dictionary<string, RegexNode> Named { get; } = new(StringComparer.Ordinal);

    public static RegexModel Parse(string pattern)
    {
        var model = new RegexModel(pattern);
        model.Root = model.ParseAlternation();
        return model;
    }

    private RegexNode ParseAlternation()
    {
        var branches = new List<RegexNode> { ParseSequence() };
        while (_i < _p.Length && _p[_i] == '|')
        {
            _i++;
            branches.Add(ParseSequence());
        }

        return branches.Count == 1 ? branches[0] : new RegexNode.Alternation(branches);
    }

    private RegexNode ParseSequence()
    {
        var items = new List<RegexNode>();
        while (_i < _p.Length && _p[_i] != '|' && _p[_i] != ')')
        {
            var atom = ParseAtom();
            items.Add(ParseQuantifier(atom));
        }

        return new RegexNode.Sequence(items);
    }

    private RegexNode ParseAtom()
    {
        var c = _p[_i++];
        switch (c)
        {
            case '^' or '$':
                return RegexNode.Empty.Instance;
            case '.':
                // PCRE's "." matches anything but "\n" (no DOTALL in nginx patterns).
                return new RegexNode.CharSet(ch => ch != '\n', Literal: false);
            case '[':
                return ParseClass();
            case '\\':
                return ParseEscape(inClass: false);
            case '(':
                return ParseGroup();
            default:
                return Literal(c);
        }
    }

    private RegexNode ParseGroup()
    {
        var number = 0;
        string? name = null;
        if (_i < _p.Length && _p[_i] == '?')
        {
            _i++;
            var rest = _p[_i..];
            if (rest.StartsWith("P<", StringComparison.Ordinal) || (rest.StartsWith('<') && rest.Length > 1 && rest[1] is not ('=' or '!')) || rest.StartsWith('\''))
            {
                _i += rest.StartsWith("P<", StringComparison.Ordinal) ? 2 : 1;
                var close = _p.IndexOfAny(['>', '\''], _i);
                name = close < 0 ? _p[_i..] : _p[_i..close];
                _i = close < 0 ? _p.Length : close + 1;
                number = ++_groups;
            }
            else if (rest.StartsWith('=') || rest.StartsWith('!') || rest.StartsWith("<=", StringComparison.Ordinal) || rest.StartsWith("<!", StringComparison.Ordinal))
            {
                // Lookaround: matches no text of its own.
                SkipToGroupEnd();
                return RegexNode.Empty.Instance;
            }
            else
            {
                // (?:…), (?i:…), or a bare flag group (?i).
                while (_i < _p.Length && _p[_i] is not (':' or ')'))
                {
                    _i++;
                }

                if (_i < _p.Length && _p[_i] == ')')
                {
                    _i++;
                    return RegexNode.Empty.Instance;
                }

                _i++;
            }
        }
        else
        {
            number = ++_groups;
        }

        var body = ParseAlternation();
        if (_i < _p.Length && _p[_i] == ')')
        {
            _i++;
        }

        var group = new RegexNode.Group(body, number, name);
        if (number > 0)
        {
            Numbered[number] = body;
        }

        if (name is not null)
        {
            Named[name] = body;
        }

        return group;
    }

    private void SkipToGroupEnd()
    {
        var depth = 1;
        while (_i < _p.Length && depth > 0)
        {
            var c = _p[_i++];
            if (c == '\\')
            {
                _i++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
        }
    }

    private RegexNode ParseQuantifier(RegexNode atom)
    {
        if (_i >= _p.Length)
        {
            return atom;
        }

        (int Min, int Max)? q = _p[_i] switch
        {
            '*' => (0, int.MaxValue),
            '+' => (1, int.MaxValue),
            '?' => (0, 1),
            '{' => ParseBraces(),
            _ => null,
        };
        if (q is not { } bounds)
        {
            return atom;
        }

        if (_p[_i] != '{')
        {
            _i++;
        }

        if (_i < _p.Length && _p[_i] is '?' or '+')
        {
            _i++;
        }

        return new RegexNode.Repeat(atom, bounds.Min, bounds.Max);
    }

    private (int, int)? ParseBraces()
    {
        var close = _p.IndexOf('}', _i);
        if (close < 0)
        {
            return null;
        }

        var parts = _p[(_i + 1)..close].Split(',');
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min))
        {
            return null;
        }

        var max = parts.Length == 1 ? min
            : parts[1].Length == 0 ? int.MaxValue
            : int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : min;
        _i = close + 1;
        return (min, max);
    }

    private RegexNode ParseClass()
    {
        var negated = _i < _p.Length && _p[_i] == '^';
        if (negated)
        {
            _i++;
        }

        var parts = new List<Func<char, bool>>();
        var first = true;
        while (_i < _p.Length && (_p[_i] != ']' || first))
        {
            first = false;
            Func<char, bool> part;
            char? single = null;
            if (_p[_i] == '\\')
            {
                _i++;
                var escaped = ParseEscape(inClass: true);
                part = ((RegexNode.CharSet)escaped).Matches;
                single = escaped is RegexNode.CharSet { Literal: true } ? LastLiteral : null;
            }
            else
            {
                single = _p[_i++];
                var s = single.Value;
                part = ch => ch == s;
            }

            if (single is { } low && _i + 1 < _p.Length && _p[_i] == '-' && _p[_i + 1] != ']')
            {
                _i++;
                var high = low;
                if (_p[_i] == '\\')
                {
                    _i++;
                    high = ParseEscape(inClass: true) is RegexNode.CharSet { Literal: true } ? LastLiteral : low;
                }
                else
                {
                    high = _p[_i++];
                }

                part = ch => ch >= low && ch <= high;
            }

            parts.Add(part);
        }

        _i++;
        return new RegexNode.CharSet(ch => parts.Any(p => p(ch)) != negated, Literal: false);
    }

    private char LastLiteral { get; set; }

    private RegexNode ParseEscape(bool inClass)
    {
        if (_i >= _p.Length)
        {
            return Literal('\\');
        }

        var c = _p[_i++];
        return c switch
        {
            'd' => new RegexNode.CharSet(char.IsAsciiDigit, false),
            'D' => new RegexNode.CharSet(ch => !char.IsAsciiDigit(ch), false),
            'w' => new RegexNode.CharSet(IsWord, false),
            'W' => new RegexNode.CharSet(ch => !IsWord(ch), false),
            's' => new RegexNode.CharSet(IsSpace, false),
            'S' => new RegexNode.CharSet(ch => !IsSpace(ch), false),
            'n' => Literal('\n'),
            'r' => Literal('\r'),
            't' => Literal('\t'),
            'x' => Literal(ParseHex()),
            'b' or 'B' or 'A' or 'z' or 'Z' or 'G' when !inClass => RegexNode.Empty.Instance,
            _ => Literal(c),
        };
    }

    private char ParseHex()
    {
        if (_i < _p.Length && _p[_i] == '{')
        {
            var close = _p.IndexOf('}', _i);
            var text = close < 0 ? "" : _p[(_i + 1)..close];
            _i = close < 0 ? _p.Length : close + 1;
            return int.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v) ? (char)v : 'x';
        }

        var end = Math.Min(_i + 2, _p.Length);
        var hex = _p[_i..end];
        _i = end;
        return int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var value) ? (char)value : 'x';
    }

    private RegexNode Literal(char c)
    {
        LastLiteral = c;
        return new RegexNode.CharSet(ch => ch == c, Literal: true);
    }

    private static bool IsWord(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';
}

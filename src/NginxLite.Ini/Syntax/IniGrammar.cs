using Pidgin;
using static Pidgin.Parser;

namespace NginxLite.Ini.Syntax;

/// <summary>
/// The line grammar of a uWSGI ini file (uWSGI's <c>core/ini.c</c>), in Pidgin:
/// <code>
/// file    = line ('\n' line)*
/// line    = ws* (section | comment | entry)?
/// section = '[' rest           -- the name is rest without its last character, as uWSGI cuts it
/// comment = (';' | '#') rest
/// entry   = key ('=' rest)?    -- key: everything up to the first '='
/// </code>
/// It knows no option names and never fails: every line is one of <see cref="IniLineKind"/>.
/// </summary>
public static class IniGrammar
{
    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r';

    private static readonly Parser<char, Unit> Ws = Parser<char>.Token(IsBlank).SkipMany();

    private static readonly Parser<char, string> Rest = Parser<char>.Token(c => c != '\n').ManyString().Labelled("rest of line");

    private static readonly Parser<char, Func<int, IniLine>> Section =
        Char('[').Then(Rest).Select<Func<int, IniLine>>(rest => line =>
        {
            var name = rest.TrimEnd(' ', '\t', '\r');

            // uWSGI drops the last character of the stripped line, whatever it is (normally ']').
            return new IniLine(IniLineKind.Section, name.Length > 0 ? name[..^1] : name, "", line);
        }).Labelled("section");

    private static readonly Parser<char, Func<int, IniLine>> Comment =
        OneOf(Char(';'), Char('#')).Then(Rest)
            .Select<Func<int, IniLine>>(text => line => new IniLine(IniLineKind.Comment, "", text, line))
            .Labelled("comment");

    private static readonly Parser<char, Func<int, IniLine>> Entry =
        Map<char, string, Maybe<string>, Func<int, IniLine>>(
            (key, value) => line =>
            {
                var k = key.TrimEnd(' ', '\t', '\r');
                if (!value.HasValue)
                {
                    return k.Length == 0
                        ? new IniLine(IniLineKind.Blank, "", "", line)
                        : new IniLine(IniLineKind.Entry, k, "", line, HasEquals: false);
                }

                return new IniLine(IniLineKind.Entry, k, value.Value.Trim(' ', '\t', '\r'), line);
            },
            Parser<char>.Token(c => c != '=' && c != '\n').ManyString(),
            Char('=').Then(Rest).Optional())
        .Labelled("key = value");

    private static readonly Parser<char, Func<int, IniLine>> Line =
        Ws.Then(OneOf(Section, Comment, Entry));

    private static readonly Parser<char, IEnumerable<Func<int, IniLine>>> File =
        Line.Separated(Char('\n')).Before(Parser<char>.End);

    /// <summary>Splits <paramref name="text"/> into numbered lines.</summary>
    public static IReadOnlyList<IniLine> Parse(string text)
    {
        var result = File.Parse(text);
        if (!result.Success)
        {
            // Every character is accepted by some alternative; this is a bug, not bad input.
            throw new InvalidOperationException($"ini grammar rejected its input: {result.Error}");
        }

        var lines = new List<IniLine>();
        var number = 1;
        foreach (var make in result.Value)
        {
            lines.Add(make(number++));
        }

        // A final newline leaves an empty last "line" that is not in the file.
        if (lines.Count > 1 && text.EndsWith('\n'))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }
}

using Pidgin;
using static Pidgin.Parser;

namespace NginxLite.Ini.Syntax;

/// <summary>
/// The line grammar of a uWSGI ini file (uWSGI's <c>core/ini.c</c>), in Pidgin, applied to each line:
/// <code>
/// line    = ws* (section | comment | entry)
/// section = '[' rest           -- the name is rest without its last character, as uWSGI cuts it
/// comment = (';' | '#') rest
/// entry   = key ('=' rest)?    -- key: everything up to the first '='
/// </code>
/// It knows no option names and never fails: every line is one of <see cref="IniLineKind"/>.
/// Every parser here yields a reference type: Pidgin combinators over value-type results (<c>SkipMany</c>'s
/// <c>Unit</c>, <c>Separated</c>, <c>Optional</c>) make NativeAOT's generic expansion recurse (IL3054).
/// </summary>
public static class IniGrammar
{
    private static bool IsBlank(char c) => c is ' ' or '\t' or '\r';

    private static readonly Parser<char, string> Ws = Parser<char>.Token(IsBlank).ManyString();

    private static readonly Parser<char, string> Rest = Parser<char>.Token(_ => true).ManyString().Labelled("rest of line");

    private static readonly Parser<char, IniLine> Section =
        Char('[').Then(Rest).Select(rest =>
        {
            var name = rest.TrimEnd(' ', '\t', '\r');

            // uWSGI drops the last character of the stripped line, whatever it is (normally ']').
            return new IniLine(IniLineKind.Section, name.Length > 0 ? name[..^1] : name, "", 0);
        }).Labelled("section");

    private static readonly Parser<char, IniLine> Comment =
        Parser<char>.Token(c => c is ';' or '#').Then(Rest)
            .Select(text => new IniLine(IniLineKind.Comment, "", text, 0))
            .Labelled("comment");

    private static readonly Parser<char, string?> Value =
        OneOf(Char('=').Then(Rest).Select(v => (string?)v), Parser<char>.Return((string?)null));

    private static readonly Parser<char, IniLine> Entry =
        Map(
            (key, value) =>
            {
                var k = key.TrimEnd(' ', '\t', '\r');
                if (value is null)
                {
                    return k.Length == 0
                        ? new IniLine(IniLineKind.Blank, "", "", 0)
                        : new IniLine(IniLineKind.Entry, k, "", 0, HasEquals: false);
                }

                return new IniLine(IniLineKind.Entry, k, value.Trim(' ', '\t', '\r'), 0);
            },
            Parser<char>.Token(c => c != '=').ManyString(),
            Value)
        .Labelled("key = value");

    private static readonly Parser<char, IniLine> Line = Ws.Then(OneOf(Section, Comment, Entry));

    /// <summary>Splits <paramref name="text"/> into numbered lines (a final newline ends the last line).</summary>
    public static IReadOnlyList<IniLine> Parse(string text)
    {
        var lines = new List<IniLine>();
        var number = 1;
        var start = 0;
        while (true)
        {
            var end = text.IndexOf('\n', start);
            var last = end < 0;
            if (last && start == text.Length && lines.Count > 0)
            {
                break;
            }

            var result = Line.Parse(last ? text[start..] : text[start..end]);
            if (!result.Success)
            {
                // Every character is accepted by some alternative; this is a bug, not bad input.
                throw new InvalidOperationException($"ini grammar rejected line {number}: {result.Error}");
            }

            lines.Add(result.Value with { Line = number++ });
            if (last)
            {
                break;
            }

            start = end + 1;
        }

        return lines;
    }
}

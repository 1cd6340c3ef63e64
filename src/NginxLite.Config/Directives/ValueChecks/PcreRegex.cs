using System.Text;
using System.Text.RegularExpressions;

namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>
/// Compiles the PCRE2 patterns nginx users write (<c>location ~</c>, <c>rewrite</c>, <c>if ~</c>, <c>server_name ~</c>,
/// <c>map ~</c>) as .NET regexes, and words failures as nginx does:
/// <c>pcre2_compile() failed: missing closing parenthesis in "^/(x"</c>.
/// Translated: <c>(?P&lt;n&gt;…)</c> and <c>(?P=n)</c>, possessive quantifiers (<c>a++</c> → atomic group),
/// <c>\Q…\E</c>, <c>\h</c>/<c>\H</c>, POSIX classes (<c>[[:alpha:]]</c>); duplicate group names are refused as PCRE2 does.
/// </summary>
public static class PcreRegex
{
    /// <summary>Options matching nginx's defaults; <paramref name="ignoreCase"/> for <c>~*</c> (PCRE2_CASELESS).</summary>
    public static RegexOptions Options(bool ignoreCase) =>
        RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);

    // Big configs repeat a few patterns thousands of times (one per server); a Regex is immutable and thread-safe,
    // so one per (pattern, case) is shared. Bounded: cleared when full, like Regex's own static-method cache.
    private const int CacheCapacity = 1024;
    private static readonly Dictionary<(string Pattern, bool IgnoreCase), (Regex? Regex, string? Error)> Cache = [];
    private static readonly Lock CacheLock = new();

    /// <summary>Compiles <paramref name="pattern"/>; on failure <paramref name="error"/> is nginx's whole message.</summary>
    public static bool TryCreate(string pattern, bool ignoreCase, out Regex? regex, out string? error)
    {
        lock (CacheLock)
        {
            if (Cache.TryGetValue((pattern, ignoreCase), out var cached))
            {
                (regex, error) = cached;
                return regex is not null;
            }
        }

        var ok = TryCompile(pattern, ignoreCase, out regex, out error);
        lock (CacheLock)
        {
            if (Cache.Count >= CacheCapacity)
            {
                Cache.Clear();
            }

            Cache[(pattern, ignoreCase)] = (regex, error);
        }

        return ok;
    }

    private static bool TryCompile(string pattern, bool ignoreCase, out Regex? regex, out string? error)
    {
        regex = null;
        if (!PcreTranslator.TryTranslate(pattern, out var translated, out var map, out var failure))
        {
            error = Format(failure!.Value.Message, pattern, failure.Value.Offset);
            return false;
        }

        try
        {
            regex = new Regex(translated, Options(ignoreCase));
            error = null;
            return true;
        }
        catch (RegexParseException e)
        {
            var (message, offset) = Describe(e, translated.Length);
            var original = offset < 0 ? pattern.Length : offset < map.Count ? map[offset] : pattern.Length;
            error = Format(message, pattern, original);
            return false;
        }
    }

    /// <summary>Translates PCRE syntax to .NET syntax (throws <see cref="ArgumentException"/> with the nginx message when it cannot).</summary>
    public static string Translate(string pattern) =>
        PcreTranslator.TryTranslate(pattern, out var translated, out _, out var failure)
            ? translated
            : throw new ArgumentException(Format(failure!.Value.Message, pattern, failure.Value.Offset), nameof(pattern));

    /// <summary><c>ngx_regex_compile</c>'s wording; " at …" only when the error offset is inside the pattern.</summary>
    public static string Format(string pcreMessage, string pattern, int offset)
    {
        var sb = new StringBuilder("pcre2_compile() failed: ").Append(pcreMessage).Append(" in \"").Append(pattern).Append('"');
        if (offset >= 0 && offset < pattern.Length)
        {
            sb.Append(" at \"").Append(pattern, offset, pattern.Length - offset).Append('"');
        }

        return sb.ToString();
    }

    // .NET's offset is just past the offending character; PCRE2 points at it. -1 = end of pattern (no "at").
    private static (string Message, int Offset) Describe(RegexParseException e, int length) => e.Error switch
    {
        RegexParseError.InsufficientClosingParentheses => ("missing closing parenthesis", -1),
        RegexParseError.InsufficientOpeningParentheses => ("unmatched closing parenthesis", e.Offset - 1),
        RegexParseError.ReversedQuantifierRange => ("numbers out of order in {} quantifier", e.Offset - 1),
        RegexParseError.ReversedCharacterRange => ("range out of order in character class", e.Offset - 1),
        RegexParseError.UnescapedEndingBackslash => ("\\ at end of pattern", -1),
        RegexParseError.UnterminatedBracket => ("missing terminating ] for character class", -1),
        RegexParseError.QuantifierAfterNothing or RegexParseError.NestedQuantifiersNotParenthesized =>
            ("quantifier does not follow a repeatable item", e.Offset - 1),
        RegexParseError.InvalidGroupingConstruct => ("unrecognized character after (? or (?-", e.Offset - 1),
        RegexParseError.UndefinedNamedReference or RegexParseError.UndefinedNumberedReference =>
            ("reference to non-existent subpattern", e.Offset - 1),
        RegexParseError.UnterminatedComment => ("missing ) after (?# comment", -1),
        RegexParseError.UnrecognizedEscape => ("unrecognized character follows \\", e.Offset - 1),
        _ => (e.Message, e.Offset >= length ? -1 : e.Offset - 1),
    };
}

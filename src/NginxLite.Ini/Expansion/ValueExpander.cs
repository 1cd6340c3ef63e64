using System.Globalization;
using System.Text;

namespace NginxLite.Ini.Expansion;

/// <summary>
/// Expands one value as uWSGI does when it adds a key: <c>$(NAME)</c> (environment), <c>@(path)</c> (a file's
/// contents, trailing newline removed) and <c>%(name)</c> (the first earlier key called <c>name</c>; with spaces, uWSGI's
/// pipeline of keys, numbers and <c>+ - * / ++ --</c>, see <c>uwsgi_manage_placeholder</c>). One left-to-right pass:
/// text that an expansion inserts is not expanded again.
/// </summary>
public sealed class ValueExpander
{
    private readonly Func<string, string?> _environment;
    private readonly Func<string, string?> _placeholder;

    public ValueExpander(Func<string, string?> environment, Func<string, string?> placeholder)
    {
        _environment = environment;
        _placeholder = placeholder;
    }

    /// <summary>Called with a message for what could not be expanded (the text is then kept as written).</summary>
    public Action<string, bool>? Report { get; init; }

    /// <summary>Directory that relative <c>@(file)</c> paths resolve against.</summary>
    public string BaseDirectory { get; init; } = ".";

    /// <summary>True when <paramref name="value"/> contains nothing this class would expand.</summary>
    public static bool IsPlain(string value) =>
        !value.Contains("$(", StringComparison.Ordinal) && !value.Contains("@(", StringComparison.Ordinal)
        && !value.Contains("%(", StringComparison.Ordinal);

    public string Expand(string value)
    {
        if (IsPlain(value))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 32);
        var i = 0;
        while (i < value.Length)
        {
            var c = value[i];
            if ((c is '$' or '@' or '%') && i + 1 < value.Length && value[i + 1] == '(')
            {
                var close = value.IndexOf(')', i + 2);
                if (close > 0)
                {
                    var name = value[(i + 2)..close];
                    var replacement = c switch
                    {
                        '$' => Environment(name),
                        '@' => FileContents(name),
                        _ => Placeholder(name),
                    };
                    builder.Append(replacement ?? value[i..(close + 1)]);
                    i = close + 1;
                    continue;
                }
            }

            builder.Append(c);
            i++;
        }

        return builder.ToString();
    }

    private string? Environment(string name)
    {
        if (_environment(name) is { } value)
        {
            return value;
        }

        // uWSGI keeps "$(NAME)" as written when NAME is not set.
        Report?.Invoke($"environment variable \"{name}\" is not set, \"$({name})\" is kept as written", false);
        return null;
    }

    private string? FileContents(string path)
    {
        var scheme = path.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0)
        {
            Report?.Invoke($"\"@({path})\": reading from \"{path[..scheme]}://\" is not supported by NginxLite (only plain files)", true);
            return null;
        }

        var full = Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(BaseDirectory, path));
        try
        {
            return File.ReadAllText(full).TrimEnd('\n', '\r');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "2: No such file or directory" : e.Message;
            Report?.Invoke($"open() \"{full}\" failed ({reason}) for \"@({path})\"", true);
            return null;
        }
    }

    private string? Placeholder(string expression)
    {
        if (!expression.Contains(' ', StringComparison.Ordinal))
        {
            if (_placeholder(expression) is { } value)
            {
                return value;
            }

            Report?.Invoke($"unknown placeholder \"%({expression})\": no earlier key \"{expression}\", kept as written", false);
            return null;
        }

        return Pipeline(expression);
    }

    /// <summary>uWSGI's placeholder pipeline: tokens concatenate; an operator applies to the next operand.</summary>
    private string Pipeline(string expression)
    {
        string? current = null;
        char op = 'c';
        foreach (var token in expression.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            switch (token)
            {
                case "+" or "-" or "*" or "/":
                    op = token[0];
                    continue;
                case "++" or "--":
                    if (current is not null)
                    {
                        current = (ParseLong(current) + (token == "++" ? 1 : -1)).ToString(CultureInfo.InvariantCulture);
                    }

                    op = 'c';
                    continue;
            }

            var value = IsNumber(token) ? token : _placeholder(token) ?? "";
            long a = current is null ? 0 : ParseLong(current), b = ParseLong(value);
            current = op switch
            {
                '+' => (a + b).ToString(CultureInfo.InvariantCulture),
                '-' => (a - b).ToString(CultureInfo.InvariantCulture),
                '*' => (a * b).ToString(CultureInfo.InvariantCulture),
                '/' => (b == 0 ? 0 : a / b).ToString(CultureInfo.InvariantCulture),
                _ => (current ?? "") + value,
            };
            op = 'c';
        }

        return current ?? "";
    }

    private static bool IsNumber(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    /// <summary>strtoll(s, NULL, 10): leading digits (with an optional sign), 0 when none.</summary>
    private static long ParseLong(string s)
    {
        var t = s.TrimStart();
        var end = 0;
        if (end < t.Length && t[end] is '-' or '+')
        {
            end++;
        }

        while (end < t.Length && char.IsAsciiDigit(t[end]))
        {
            end++;
        }

        return long.TryParse(t.AsSpan(0, end), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : 0;
    }
}

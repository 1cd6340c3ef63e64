namespace NginxLite.Config.Directives.ValueChecks;

/// <summary>
/// nginx's value grammars: <c>ngx_parse_size</c> / <c>ngx_parse_offset</c> (<c>512</c>, <c>8k</c>, <c>10m</c>, <c>1g</c>)
/// and <c>ngx_parse_time</c> (<c>500ms</c>, <c>30s</c>, <c>1h 30m</c>, <c>1d</c>; a bare number is the slot's unit).
/// </summary>
public static class NginxValue
{
    /// <summary>Parses a size in bytes; <paramref name="allowGiga"/> for off_t slots (<c>client_max_body_size</c>).</summary>
    public static bool TryParseSize(string text, out long bytes, bool allowGiga = true)
    {
        bytes = 0;
        if (text.Length == 0)
        {
            return false;
        }

        long scale = char.ToLowerInvariant(text[^1]) switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' when allowGiga => 1L << 30,
            _ => 1,
        };
        var digits = scale == 1 ? text : text[..^1];
        if (!TryParseDigits(digits, out var value) || value > long.MaxValue / scale)
        {
            return false;
        }

        bytes = value * scale;
        return true;
    }

    /// <summary>Parses a time; a bare trailing number counts as seconds when <paramref name="seconds"/>, else milliseconds.</summary>
    public static bool TryParseTime(string text, out TimeSpan time, bool seconds = true)
    {
        time = TimeSpan.Zero;
        var i = 0;
        var any = false;
        double totalMs = 0;
        while (i < text.Length)
        {
            if (text[i] == ' ')
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start || !long.TryParse(text.AsSpan(start, i - start), out var n))
            {
                return false;
            }

            double unitMs;
            if (i + 1 < text.Length && text[i] == 'm' && text[i + 1] == 's')
            {
                unitMs = 1;
                i += 2;
            }
            else if (i < text.Length && text[i] != ' ')
            {
                unitMs = text[i] switch
                {
                    'y' => 365 * 86_400_000d,
                    'M' => 30 * 86_400_000d,
                    'w' => 7 * 86_400_000d,
                    'd' => 86_400_000d,
                    'h' => 3_600_000d,
                    'm' => 60_000d,
                    's' => 1000d,
                    _ => -1,
                };
                if (unitMs < 0)
                {
                    return false;
                }

                i++;
            }
            else
            {
                // nginx allows a unitless value only last.
                if (text[i..].Trim().Length != 0)
                {
                    return false;
                }

                unitMs = seconds ? 1000d : 1d;
            }

            totalMs += n * unitMs;
            any = true;
        }

        if (!any)
        {
            return false;
        }

        time = TimeSpan.FromMilliseconds(totalMs);
        return true;
    }

    /// <summary><c>ngx_atoi</c>: ASCII digits only.</summary>
    public static bool TryParseDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) || value > (long.MaxValue - 9) / 10)
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>Values with variables are only known per request; the setters that accept them check at run time.</summary>
    public static bool HasVariable(string text) => text.Contains('$', StringComparison.Ordinal);
}

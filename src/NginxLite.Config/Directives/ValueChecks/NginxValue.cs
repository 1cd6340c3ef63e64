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

    /// <summary>What <see cref="ParseTime"/> found.</summary>
    public enum TimeResult
    {
        Valid,
        Invalid,

        /// <summary><c>NGX_PARSE_LARGE_TIME</c>: well-formed but past nginx's 64-bit limit.</summary>
        Large,
    }

    /// <summary>
    /// <c>ngx_parse_time</c> of nginx 1.22: units in falling order (<c>y M w d h m s ms</c>), each at most once, a bare
    /// number last counts as seconds, spaces after a unit. With <paramref name="isSec"/> (sec slots) <c>ms</c> is an
    /// error; without (msec slots) <c>y</c> and <c>M</c> are.
    /// </summary>
    public static TimeResult ParseTime(string text, bool isSec, out long value)
    {
        // Steps of ngx_parse_time: st_start, st_year, st_month, st_week, st_day, st_hour, st_min, st_sec, st_msec, st_last.
        const int Start = 0, Year = 1, Month = 2, Week = 3, Day = 4, Hour = 5, Min = 6, Sec = 7, Msec = 8, Last = 9;
        value = 0;
        long current = 0, total = 0;
        var valid = false;
        var large = false;
        var step = isSec ? Start : Month;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                if (current > (long.MaxValue - (c - '0')) / 10)
                {
                    return TimeResult.Invalid;
                }

                current = (current * 10) + (c - '0');
                valid = true;
                i++;
                continue;
            }

            i++;
            long scale;
            switch (c)
            {
                case 'y' when step <= Start:
                    (step, scale) = (Year, 365L * 86400);
                    break;
                case 'M' when step < Month:
                    (step, scale) = (Month, 30L * 86400);
                    break;
                case 'w' when step < Week:
                    (step, scale) = (Week, 7L * 86400);
                    break;
                case 'd' when step < Day:
                    (step, scale) = (Day, 86400);
                    break;
                case 'h' when step < Hour:
                    (step, scale) = (Hour, 3600);
                    break;
                case 'm' when i < text.Length && text[i] == 's':
                    if (isSec || step >= Msec)
                    {
                        return TimeResult.Invalid;
                    }

                    i++;
                    (step, scale) = (Msec, 1);
                    break;
                case 'm' when step < Min:
                    (step, scale) = (Min, 60);
                    break;
                case 's' when step < Sec:
                    (step, scale) = (Sec, 1);
                    break;
                case ' ' when step < Sec:
                    (step, scale) = (Last, 1);
                    break;
                default:
                    return TimeResult.Invalid;
            }

            if (step != Msec && !isSec)
            {
                scale *= 1000;
            }

            large |= !TryAdd(ref total, current, scale);
            current = 0;
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }
        }

        if (!valid)
        {
            return TimeResult.Invalid;
        }

        large |= !TryAdd(ref total, current, isSec ? 1 : 1000);
        value = total;
        return large ? TimeResult.Large : TimeResult.Valid;

        static bool TryAdd(ref long total, long n, long scale)
        {
            if (n > long.MaxValue / scale || total > long.MaxValue - (n * scale))
            {
                return false;
            }

            total += n * scale;
            return true;
        }
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

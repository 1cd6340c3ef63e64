using System.Text;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Server.Logging;

/// <summary>Formats one access-log line from a <c>log_format</c>, escaping variable values as nginx does.</summary>
internal static class AccessLogWriter
{
    [ThreadStatic]
    private static StringBuilder? t_line;

    public static string Format(LogFormat format, IRequestState state)
    {
        var sb = t_line ??= new StringBuilder(256);
        sb.Clear();
        format.Value.Visit(state, sb, format.Escape, static (sb, value, escape) =>
        {
            if (value is null)
            {
                // nginx prints a variable that is not found as "-" (json: empty).
                if (escape != LogEscape.Json)
                {
                    sb.Append('-');
                }

                return;
            }

            Append(sb, value, escape);
        });
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string value, LogEscape escape)
    {
        foreach (var c in value)
        {
            switch (escape)
            {
                case LogEscape.None:
                    sb.Append(c);
                    break;
                case LogEscape.Json:
                    if (c is '"' or '\\')
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < 0x20)
                    {
                        sb.Append("\\u00").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
                default:
                    if (c is '"' or '\\' || c < 0x20 || c >= 0x7f)
                    {
                        foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                        {
                            sb.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                        }
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }
    }
}

using System.Buffers;
using System.Text;

namespace NginxLite.Config.Syntax;

/// <summary>
/// nginx's unescaping of every word (ngx_conf_read_token): <c>\"</c> <c>\'</c> <c>\\</c> drop the backslash,
/// <c>\t</c> <c>\r</c> <c>\n</c> become control characters, any other backslash is kept with the byte after it.
/// </summary>
internal static class ArgumentUnescaper
{
    public static string Unescape(ReadOnlySpan<byte> raw, Encoding encoding)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return encoding.GetString(raw);
        }

        byte[]? rented = null;
        Span<byte> buffer = raw.Length <= 512 ? stackalloc byte[raw.Length] : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        int length = Unescape(raw, buffer);
        string value = encoding.GetString(buffer[..length]);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return value;
    }

    /// <summary>Unescapes <paramref name="raw"/> into <paramref name="destination"/> (at least as long); returns the length.</summary>
    public static int Unescape(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int dst = 0;
        int src = 0;
        while (src < raw.Length)
        {
            if (raw[src] == (byte)'\\' && src + 1 < raw.Length)
            {
                switch (raw[src + 1])
                {
                    case (byte)'"':
                    case (byte)'\'':
                    case (byte)'\\':
                        src++;
                        break;

                    case (byte)'t':
                        destination[dst++] = (byte)'\t';
                        src += 2;
                        continue;

                    case (byte)'r':
                        destination[dst++] = (byte)'\r';
                        src += 2;
                        continue;

                    case (byte)'n':
                        destination[dst++] = (byte)'\n';
                        src += 2;
                        continue;
                }
            }

            destination[dst++] = raw[src++];
        }

        return dst;
    }
}

using System.Text;

namespace NginxLite.Server.Http;

/// <summary>
/// nginx's ngx_http_parse_complex_uri for the path of a request target: %XX decoded (so <c>%2e%2e</c> and <c>%2f</c>
/// are dots and slashes), slashes merged (<c>merge_slashes</c>), <c>.</c> and <c>..</c> resolved; a path that climbs
/// above the root, a NUL byte or a bad escape is a 400.
/// </summary>
public static class UriNormalizer
{
    /// <summary><see cref="TryNormalize(ReadOnlySpan{char}, bool, out string)"/>, returning <paramref name="rawPath"/>
    /// itself (no allocation) when it is already normal: printable ASCII, no escape, no dot segment, no slash to merge.</summary>
    public static bool TryNormalize(string rawPath, bool mergeSlashes, out string uri)
    {
        if (IsNormal(rawPath, mergeSlashes))
        {
            uri = rawPath;
            return true;
        }

        return TryNormalize(rawPath.AsSpan(), mergeSlashes, out uri);
    }

    private static bool IsNormal(string path, bool mergeSlashes)
    {
        if (path.Length == 0 || path[0] != '/')
        {
            return false;
        }

        for (var i = 1; i < path.Length; i++)
        {
            var c = path[i];
            if (c <= 0x20 || c >= 0x7f || c is '%' or '#' || (path[i - 1] == '/' && (c == '.' || (c == '/' && mergeSlashes))))
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryNormalize(ReadOnlySpan<char> rawPath, bool mergeSlashes, out string uri)
    {
        uri = "";
        if (rawPath.Length == 0 || rawPath[0] != '/')
        {
            return false;
        }

        // Decode %XX to bytes first (the path is UTF-8 on the wire), then work on segments.
        Span<byte> stackBuffer = rawPath.Length <= 512 ? stackalloc byte[rawPath.Length * 3] : default;
        var bytes = rawPath.Length <= 512 ? stackBuffer : new byte[rawPath.Length * 3];
        var n = 0;
        for (var i = 0; i < rawPath.Length; i++)
        {
            var c = rawPath[i];
            if (c == '#')
            {
                break; // a raw '#' ends the path (ngx_http_parse_complex_uri); %23 is a character of the name
            }

            if (c == '%')
            {
                if (i + 2 >= rawPath.Length || !IsHex(rawPath[i + 1]) || !IsHex(rawPath[i + 2]))
                {
                    return false;
                }

                var b = (byte)((Hex(rawPath[i + 1]) << 4) | Hex(rawPath[i + 2]));
                if (b == 0)
                {
                    return false;
                }

                bytes[n++] = b;
                i += 2;
            }
            else if (c < 0x80)
            {
                bytes[n++] = (byte)c;
            }
            else
            {
                n += Encoding.UTF8.GetBytes(rawPath.Slice(i, 1), bytes[n..]);
            }
        }

        var decoded = Encoding.UTF8.GetString(bytes[..n]);
        var segments = new List<string>();
        var start = 1;
        var trailingSlash = false;
        while (start <= decoded.Length)
        {
            var slash = decoded.IndexOf('/', start);
            var end = slash < 0 ? decoded.Length : slash;
            var segment = decoded[start..end];
            var last = slash < 0;
            if (segment == ".")
            {
                trailingSlash = true;
            }
            else if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return false;
                }

                segments.RemoveAt(segments.Count - 1);
                trailingSlash = true;
            }
            else if (segment.Length == 0)
            {
                if (!mergeSlashes && !last)
                {
                    segments.Add("");
                }

                trailingSlash = true;
            }
            else
            {
                segments.Add(segment);
                trailingSlash = false;
            }

            if (last)
            {
                break;
            }

            start = end + 1;
        }

        var sb = new StringBuilder(decoded.Length);
        foreach (var s in segments)
        {
            sb.Append('/').Append(s);
        }

        if (trailingSlash || sb.Length == 0)
        {
            sb.Append('/');
        }

        uri = sb.ToString();
        return true;
    }

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int Hex(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

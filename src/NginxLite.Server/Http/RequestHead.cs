using System.Text;

namespace NginxLite.Server.Http;

/// <summary>How a request body is framed on the wire (so the connection filter finds the next request head).</summary>
internal enum BodyFraming
{
    None,
    Length,
    Chunked,
}

/// <summary>What <see cref="RequestHead.Parse"/> found.</summary>
internal enum HeadParse
{
    /// <summary>The head is not complete yet.</summary>
    NeedMore,

    /// <summary>A request Kestrel can take: <see cref="RequestHead.Forward"/> (null: the bytes as they came).</summary>
    Ok,

    /// <summary>nginx answers <see cref="RequestHead.Reject"/> and closes the connection.</summary>
    Reject,
}

/// <summary>
/// nginx's request-line and header parser (ngx_http_parse_request_line, ngx_http_parse_header_line and the checks of
/// ngx_http_process_request_headers / ngx_http_process_request_header) run on the bytes before Kestrel sees them.
/// Kestrel is stricter than nginx in places (HTTP/1.9, <c>Host: localhost:abc</c>, a header line without a colon, raw
/// UTF-8 in the target) and answers its own rejections without nginx's page; so a request nginx accepts is handed to
/// Kestrel in a form Kestrel accepts (originals in <see cref="TargetHeader"/>/<see cref="HostOverrideHeader"/>), and a
/// request nginx rejects becomes a synthetic request carrying <see cref="RejectHeader"/> so the application answers with
/// nginx's status and page.
/// </summary>
internal sealed class RequestHead
{
    public const string RejectHeader = "X-NginxLite-Reject";
    public const string TargetHeader = "X-NginxLite-Target";
    public const string HostOverrideHeader = "X-NginxLite-Host";
    public const string Http09Header = "X-NginxLite-Http09";

    /// <summary>large_client_header_buffers size: a longer request line is a 414, a longer header line a 494.</summary>
    public int LineLimit { get; init; } = 8192;

    /// <summary>large_client_header_buffers number × size: a larger head is a 494.</summary>
    public int HeadLimit { get; init; } = 4 * 8192;

    public bool UnderscoresInHeaders { get; init; }

    public bool IgnoreInvalidHeaders { get; init; } = true;

    /// <summary>The rules of the server a Host header selects (null: the same as these). nginx switches to that server
    /// once Host is read (ngx_http_set_virtual_server), so the header lines after it use its
    /// large_client_header_buffers, underscores_in_headers and ignore_invalid_headers.</summary>
    public Func<string, RequestHead?>? ForHost { get; init; }

    /// <summary>The largest <see cref="HeadLimit"/> of any server <see cref="ForHost"/> can select: how many bytes the
    /// filter hands to <see cref="Parse"/> at most.</summary>
    public int MaxHeadLimit
    {
        get => Math.Max(_maxHeadLimit, HeadLimit);
        init => _maxHeadLimit = value;
    }

    private readonly int _maxHeadLimit;

    // results
    public int Consumed { get; private set; }

    /// <summary>Empty lines before the request line (part of <see cref="Consumed"/>, not of <c>$request_length</c>).</summary>
    public int Leading { get; private set; }

    public byte[]? Forward { get; private set; }

    public int Reject { get; private set; }

    public string RejectReason { get; private set; } = "";

    public BodyFraming Body { get; private set; }

    public long ContentLength { get; private set; }

    public bool Http09 { get; private set; }

    /// <summary>The head asks for a protocol upgrade (an <c>Upgrade</c> header): the bytes after it may be another
    /// protocol (a proxied WebSocket), so the filter passes them on unparsed.</summary>
    public bool Upgrade { get; private set; }

    /// <summary>The request headers nginx allows once (ngx_http_headers_in entries with
    /// ngx_http_process_unique_header_line): a second one is a 400, on HTTP/1 here and on HTTP/2 in Http2RequestHeaders.</summary>
    internal static readonly string[] UniqueHeaderNames =
    [
        "Content-Length", "Transfer-Encoding", "If-Modified-Since", "If-Unmodified-Since", "If-Range", "Content-Range",
        "Expect", "Authorization",
    ];

    private static readonly byte[][] UniqueHeaders = [.. UniqueHeaderNames.Select(System.Text.Encoding.ASCII.GetBytes)];

    /// <summary>Parses one request head at the start of <paramref name="b"/>; <paramref name="ended"/>: no more bytes will come.</summary>
    public HeadParse Parse(ReadOnlySpan<byte> b, bool ended = false)
    {
        Forward = null;
        Reject = 0;
        Body = BodyFraming.None;
        ContentLength = 0;
        Http09 = false;
        Upgrade = false;
        var p = 0;
        while (p < b.Length && (b[p] == '\r' || b[p] == '\n'))
        {
            p++;
        }

        Leading = p;

        var lineStart = p;
        var lf = b[p..].IndexOf((byte)'\n');
        var methodEnd = b[p..].IndexOf((byte)' ');
        var method = methodEnd > 0 && IsMethod(b.Slice(p, methodEnd)) ? MethodName(b.Slice(p, methodEnd)) : null;
        if (lf < 0)
        {
            if (b.Length - lineStart >= LineLimit)
            {
                return Rejected(414, method, "client sent too long URI");
            }

            return ended && b.Length > lineStart ? Rejected(400, method, "client prematurely closed connection") : NeedMore();
        }

        lf += p;
        if (lf + 1 - lineStart > LineLimit)
        {
            return Rejected(414, method, "client sent too long URI");
        }

        var line = b[lineStart..lf];
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        var needRewrite = lineStart > 0 || lf == 0 || b[lf - 1] != '\r';

        // method
        var sp = line.IndexOf((byte)' ');
        if (sp <= 0 || !IsMethod(line[..sp]))
        {
            return Rejected(400, null, "client sent invalid method");
        }

        method = MethodName(line[..sp]);
        var i = sp;
        while (i < line.Length && line[i] == ' ')
        {
            i++;
        }

        needRewrite |= i != sp + 1;

        // target
        var targetStart = i;
        while (i < line.Length && line[i] != ' ')
        {
            var c = line[i];
            if (c < 0x20 || c == 0x7f)
            {
                return Rejected(400, method, "client sent invalid request");
            }

            i++;
        }

        var target = line[targetStart..i];
        if (target.Length == 0)
        {
            return Rejected(400, method, "client sent invalid request");
        }

        string? uriHost = null;
        var path = target;
        if (target[0] != '/')
        {
            if (!TrySplitAbsolute(target, out var hostBytes, out path))
            {
                return Rejected(400, method, "client sent invalid request");
            }

            uriHost = Latin1(hostBytes);
            needRewrite = true;
        }

        // version
        var versionStart = i;
        while (i < line.Length && line[i] == ' ')
        {
            i++;
        }

        if (i == line.Length)
        {
            // HTTP/0.9: "GET /path" and nothing else; no headers follow.
            if (method != "GET")
            {
                return Rejected(400, method, "client sent invalid request");
            }

            Http09 = true;
            Consumed = lf + 1;
            Forward = Encoding.Latin1.GetBytes($"GET {SafeTarget(path, out var raw09)} HTTP/1.0\r\n{Http09Header}: 1\r\n"
                + (raw09 is null ? "" : $"{TargetHeader}: {raw09}\r\n")
                + (uriHost is null ? "" : $"{HostOverrideHeader}: {uriHost}\r\n") + "\r\n");
            return HeadParse.Ok;
        }

        needRewrite |= i != versionStart + 1;
        var version = line[i..];
        var end = version.Length;
        while (end > 0 && version[end - 1] == ' ')
        {
            end--;
        }

        needRewrite |= end != version.Length;
        version = version[..end];
        if (!TryVersion(version, out var major, out var minor))
        {
            return Rejected(400, method, "client sent invalid request");
        }

        if (major > 1)
        {
            return Rejected(505, method, "client sent unsupported HTTP version");
        }

        needRewrite |= !(version.SequenceEqual("HTTP/1.1"u8) || version.SequenceEqual("HTTP/1.0"u8));

        // headers
        var headerLines = _headerLines;
        headerLines.Clear();
        var pos = lf + 1;
        var hostCount = 0;
        string? hostHeader = null;
        string? contentLength = null;
        string? transferEncoding = null;
        var dropSome = false;
        var rules = this; // switches to the Host's server after its Host line
        while (true)
        {
            if (pos - lineStart > rules.HeadLimit)
            {
                return Rejected(494, method, "client sent too large request");
            }

            var next = b[pos..].IndexOf((byte)'\n');
            if (next < 0)
            {
                if (b.Length - pos >= rules.LineLimit || b.Length - lineStart >= rules.HeadLimit)
                {
                    return Rejected(494, method, "client sent too long header line");
                }

                return ended ? Rejected(400, method, "client prematurely closed connection") : NeedMore();
            }

            var hlEnd = pos + next;
            if (hlEnd + 1 - pos > rules.LineLimit)
            {
                return Rejected(494, method, "client sent too long header line");
            }

            var hl = b[pos..hlEnd];
            if (hl.Length > 0 && hl[^1] == '\r')
            {
                hl = hl[..^1];
            }
            else
            {
                needRewrite = true;
            }

            if (hl.Length == 0)
            {
                pos = hlEnd + 1;
                break;
            }

            // name
            var invalid = false;
            var n = 0;
            for (; n < hl.Length && hl[n] != ':'; n++)
            {
                var c = hl[n];
                if (IsTokenLetter(c))
                {
                    continue;
                }

                if (c == '_')
                {
                    invalid |= !rules.UnderscoresInHeaders;
                    continue;
                }

                if (c <= 0x20 || c == 0x7f)
                {
                    return Rejected(400, method, "client sent invalid header line");
                }

                invalid = true;
            }

            if (n == 0)
            {
                return Rejected(400, method, "client sent invalid header line");
            }

            var v = n < hl.Length ? n + 1 : n;
            while (v < hl.Length && (hl[v] == ' ' || hl[v] == '\t'))
            {
                v++;
            }

            var ve = hl.Length;
            while (ve > v && (hl[ve - 1] == ' ' || hl[ve - 1] == '\t'))
            {
                ve--;
            }

            if (hl[v..ve].IndexOf((byte)0) >= 0)
            {
                return Rejected(400, method, "client sent invalid header line");
            }

            if (n == hl.Length)
            {
                needRewrite = true; // no colon: a header with an empty value for nginx, a bad request for Kestrel
            }

            if (invalid && rules.IgnoreInvalidHeaders)
            {
                dropSome = true;
                pos = hlEnd + 1;
                continue;
            }

            var name = hl[..n];
            var value = hl[v..ve];
            if (IsName(name, "Host"u8))
            {
                if (++hostCount > 1)
                {
                    return Rejected(400, method, "client sent duplicate host header");
                }

                hostHeader = Latin1(value);
                if (ForHost is not null && HostHeader.TryValidate(hostHeader, out var selected))
                {
                    rules = ForHost(selected) ?? this;
                }
            }
            else if (IsName(name, "X-NginxLite-"u8, prefix: true))
            {
                dropSome = true; // ours only
                pos = hlEnd + 1;
                continue;
            }
            else
            {
                foreach (var unique in UniqueHeaders)
                {
                    if (IsName(name, unique))
                    {
                        foreach (var h in headerLines)
                        {
                            if (IsName(b[h.Start..h.NameEnd], unique))
                            {
                                return Rejected(400, method, "client sent duplicate header line");
                            }
                        }
                    }
                }

                if (IsName(name, "Content-Length"u8))
                {
                    contentLength = Latin1(value);
                }
                else if (IsName(name, "Transfer-Encoding"u8))
                {
                    transferEncoding = Latin1(value);
                }
                else if (IsName(name, "Upgrade"u8))
                {
                    Upgrade = true;
                }
            }

            headerLines.Add((pos, pos + n, pos + v, pos + ve));
            pos = hlEnd + 1;
        }

        Consumed = pos;

        // ngx_http_process_request_header
        if (hostHeader is not null && (hostHeader.Length == 0 || !HostHeader.TryValidate(hostHeader, out _)))
        {
            return Rejected(400, method, "client sent invalid host header");
        }

        if (uriHost is not null && (uriHost.Length == 0 || !HostHeader.TryValidate(uriHost, out _)))
        {
            return Rejected(400, method, "client sent invalid host in request line");
        }

        if (hostHeader is null && uriHost is null && minor >= 1)
        {
            return Rejected(400, method, "client sent HTTP/1.1 request without \"Host\" header");
        }

        if (contentLength is not null)
        {
            if (!TryLength(contentLength, out var length))
            {
                return Rejected(400, method, "client sent invalid \"Content-Length\" header");
            }

            Body = length > 0 ? BodyFraming.Length : BodyFraming.None;
            ContentLength = length;
        }

        if (method == "TRACE")
        {
            return Rejected(405, method, "client sent TRACE method");
        }

        if (transferEncoding is not null)
        {
            if (minor == 0)
            {
                return Rejected(400, method, "client sent HTTP/1.0 request with \"Transfer-Encoding\" header");
            }

            if (contentLength is not null)
            {
                return Rejected(400, method, "client sent \"Content-Length\" and \"Transfer-Encoding\" headers at the same time");
            }

            if (!transferEncoding.Equals("chunked", StringComparison.OrdinalIgnoreCase))
            {
                return Rejected(501, method, $"client sent unknown \"Transfer-Encoding\": \"{transferEncoding}\"");
            }

            Body = BodyFraming.Chunked;
        }

        var effectiveHost = uriHost ?? hostHeader;
        var hostSafe = effectiveHost is null || KestrelAcceptsHost(effectiveHost);
        if (!needRewrite && !dropSome && hostSafe && IsSafeTarget(path))
        {
            return HeadParse.Ok;
        }

        var safeTarget = SafeTarget(path, out var rawTarget);

        var sb = new StringBuilder(Consumed + 64);
        sb.Append(method).Append(' ').Append(safeTarget).Append(minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
        if (rawTarget is not null)
        {
            sb.Append(TargetHeader).Append(": ").Append(rawTarget).Append("\r\n");
        }

        if (effectiveHost is not null)
        {
            if (hostSafe)
            {
                sb.Append("Host: ").Append(effectiveHost).Append("\r\n");
            }
            else
            {
                sb.Append("Host:\r\n").Append(HostOverrideHeader).Append(": ").Append(effectiveHost).Append("\r\n");
            }
        }

        foreach (var (start, nameEnd, valueStart, valueEnd) in headerLines)
        {
            if (IsName(b[start..nameEnd], "Host"u8))
            {
                continue;
            }

            sb.Append(Latin1(b[start..nameEnd])).Append(": ").Append(Latin1(b[valueStart..Math.Max(valueStart, valueEnd)])).Append("\r\n");
        }

        sb.Append("\r\n");
        Forward = Encoding.Latin1.GetBytes(sb.ToString());
        return HeadParse.Ok;
    }

    private HeadParse NeedMore() => HeadParse.NeedMore;

    private HeadParse Rejected(int status, string? method, string reason)
    {
        Reject = status;
        RejectReason = reason;
        Body = BodyFraming.None;
        var m = method is null or "TRACE" || method.Length > 32 ? "GET" : method;
        Forward = Encoding.ASCII.GetBytes($"{m} / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n{RejectHeader}: {status}\r\n\r\n");
        return HeadParse.Reject;
    }

    /// <summary>The target as Kestrel gets it: the original when Kestrel takes it, else "/" (the original in <paramref name="raw"/>).</summary>
    private static string SafeTarget(ReadOnlySpan<byte> path, out string? raw)
    {
        raw = null;
        if (IsSafeTarget(path))
        {
            return Encoding.ASCII.GetString(path);
        }

        raw = Latin1(path);
        return "/";
    }

    /// <summary>"scheme://host[:port][/path]": the host (with port) and the path ("/" when absent).</summary>
    private static bool TrySplitAbsolute(ReadOnlySpan<byte> target, out ReadOnlySpan<byte> host, out ReadOnlySpan<byte> path)
    {
        host = default;
        path = "/"u8;
        var i = 0;
        while (i < target.Length && char.IsAsciiLetter((char)target[i]))
        {
            i++;
        }

        if (i == 0 || !target[i..].StartsWith("://"u8))
        {
            return false;
        }

        var hostStart = i + 3;
        var j = hostStart;
        if (j < target.Length && target[j] == '[')
        {
            var close = target[j..].IndexOf((byte)']');
            if (close < 0)
            {
                return false;
            }

            j += close + 1;
        }

        for (; j < target.Length && target[j] != '/' && target[j] != '?'; j++)
        {
            var c = (char)target[j];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '_'))
            {
                return false;
            }
        }

        host = target[hostStart..j];
        if (j < target.Length)
        {
            path = target[j] == '?' ? default : target[j..];
            if (target[j] == '?')
            {
                return false; // nginx 1.22: "http://host?x" is a bad request
            }
        }

        return host.Length > 0;
    }

    private static bool TryVersion(ReadOnlySpan<byte> v, out int major, out int minor)
    {
        major = minor = 0;
        if (!v.StartsWith("HTTP/"u8))
        {
            return false;
        }

        var i = 5;
        if (i >= v.Length || v[i] < '1' || v[i] > '9')
        {
            return false;
        }

        while (i < v.Length && char.IsAsciiDigit((char)v[i]))
        {
            major = major * 10 + v[i++] - '0';
            if (major > 99)
            {
                return false;
            }
        }

        if (i >= v.Length || v[i++] != '.' || i >= v.Length)
        {
            return false;
        }

        while (i < v.Length && char.IsAsciiDigit((char)v[i]))
        {
            minor = minor * 10 + v[i++] - '0';
            if (minor > 999)
            {
                return false;
            }
        }

        return i == v.Length;
    }

    private static bool TryLength(string s, out long length)
    {
        length = 0;
        if (s.Length == 0 || s.Length > 18)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            length = length * 10 + (c - '0');
        }

        return true;
    }

    /// <summary>What Kestrel's Host check (HttpUtilities.IsHostHeaderValid) certainly accepts.</summary>
    internal static bool KestrelAcceptsHost(string host)
    {
        if (host.Length == 0)
        {
            return false;
        }

        var i = 0;
        if (host[0] == '[')
        {
            var close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            for (var k = 1; k < close; k++)
            {
                if (!(char.IsAsciiHexDigit(host[k]) || host[k] is ':' or '.'))
                {
                    return false;
                }
            }

            i = close + 1;
        }
        else
        {
            for (; i < host.Length && host[i] != ':'; i++)
            {
                if (!(char.IsAsciiLetterOrDigit(host[i]) || host[i] is '.' or '-'))
                {
                    return false;
                }
            }

            if (i == 0)
            {
                return false;
            }
        }

        if (i == host.Length)
        {
            return true;
        }

        if (host[i] != ':' || i + 1 == host.Length)
        {
            return false;
        }

        for (i++; i < host.Length; i++)
        {
            if (!char.IsAsciiDigit(host[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSafeTarget(ReadOnlySpan<byte> path)
    {
        var safe = path.Length > 0 && path[0] == '/';
        for (var i = 0; safe && i < path.Length; i++)
        {
            var c = path[i];
            safe = c > 0x20 && c < 0x7f && c != '#'
                && !(c == '%' && i + 2 < path.Length && path[i + 1] == '0' && path[i + 2] == '0');
        }

        return safe;
    }

    /// <summary>The method as a string; the common ones without an allocation.</summary>
    private static string MethodName(ReadOnlySpan<byte> m) => m switch
    {
        _ when m.SequenceEqual("GET"u8) => "GET",
        _ when m.SequenceEqual("HEAD"u8) => "HEAD",
        _ when m.SequenceEqual("POST"u8) => "POST",
        _ => Encoding.ASCII.GetString(m),
    };

    private readonly List<(int Start, int NameEnd, int ValueStart, int End)> _headerLines = [];

    private static bool IsMethod(ReadOnlySpan<byte> m)
    {
        foreach (var c in m)
        {
            if (!(c is >= (byte)'A' and <= (byte)'Z' || c == '_' || c == '-'))
            {
                return false;
            }
        }

        return m.Length > 0;
    }

    private static bool IsTokenLetter(byte c) => c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-';

    private static bool IsName(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected, bool prefix = false)
    {
        if (prefix ? name.Length < expected.Length : name.Length != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < expected.Length; i++)
        {
            if ((name[i] | 0x20) != (expected[i] | 0x20))
            {
                return false;
            }
        }

        return true;
    }

    private static string Latin1(ReadOnlySpan<byte> s) => Encoding.Latin1.GetString(s);
}

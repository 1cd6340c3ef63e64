using System.Globalization;
using System.Text;

namespace NginxLite.Server.Http;

/// <summary>
/// The bytes of ngx_http_autoindex_module's listings. Names are UTF-8 bytes handled as nginx handles them without
/// <c>charset utf-8</c>: lengths, truncation (50 bytes, then 47 + <c>..&amp;gt;</c>) and padding count bytes.
/// Hidden names (leading '.') are skipped; directories come first, then byte order (strcmp).
/// </summary>
internal static class AutoIndexListing
{
    private const int NameLength = 50;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>One directory entry: the name's bytes, directory / regular file (neither: "other", e.g. a symlink).</summary>
    internal sealed record Entry(byte[] Name, bool Dir, bool File, DateTime MTimeUtc, long Size);

    public static List<Entry> Read(DirectoryInfo dir)
    {
        var entries = new List<Entry>();
        foreach (var info in dir.EnumerateFileSystemInfos())
        {
            if (info.Name.StartsWith('.'))
            {
                continue;
            }

            var link = info.LinkTarget is not null;
            var isDir = info is DirectoryInfo && !link;
            var isFile = info is FileInfo && !link;
            long size = 0;
            var mtime = info.LastWriteTimeUtc;
            if (link)
            {
                // stat() follows the link: the target's size and time.
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is { Exists: true })
                {
                    mtime = target.LastWriteTimeUtc;
                    size = target is FileInfo tf ? tf.Length : 4096;
                }
            }
            else
            {
                size = info is FileInfo f ? f.Length : 4096;
            }

            entries.Add(new Entry(Encoding.UTF8.GetBytes(info.Name), isDir, isFile, mtime, size));
        }

        entries.Sort(Compare);
        return entries;
    }

    internal static int Compare(Entry a, Entry b)
    {
        if (a.Dir != b.Dir)
        {
            return a.Dir ? -1 : 1;
        }

        return a.Name.AsSpan().SequenceCompareTo(b.Name);
    }

    public static byte[] Html(byte[] uri, IReadOnlyList<Entry> entries, bool exactSize, TimeSpan utcOffset)
    {
        var o = new MemoryStream(512 + entries.Count * 120);
        Ascii(o, "<html>\r\n<head><title>Index of ");
        EscapeHtml(o, uri);
        Ascii(o, "</title></head>\r\n<body>\r\n<h1>Index of ");
        EscapeHtml(o, uri);
        Ascii(o, "</h1><hr><pre><a href=\"../\">../</a>\r\n");
        foreach (var e in entries)
        {
            Ascii(o, "<a href=\"");
            EscapeUriComponent(o, e.Name);
            if (e.Dir)
            {
                o.WriteByte((byte)'/');
            }

            Ascii(o, "\">");
            var len = e.Name.Length;
            if (len > NameLength)
            {
                EscapeHtml(o, e.Name.AsSpan(0, NameLength - 3));
                Ascii(o, "..&gt;</a>");
            }
            else
            {
                EscapeHtml(o, e.Name);
                if (e.Dir && NameLength - len > 0)
                {
                    o.WriteByte((byte)'/');
                    len++;
                }

                Ascii(o, "</a>");
                for (var i = len; i < NameLength; i++)
                {
                    o.WriteByte((byte)' ');
                }
            }

            o.WriteByte((byte)' ');
            var t = e.MTimeUtc + utcOffset;
            Ascii(o, string.Create(CultureInfo.InvariantCulture,
                $"{t.Day:D2}-{Months[t.Month - 1]}-{t.Year} {t.Hour:D2}:{t.Minute:D2} "));
            Ascii(o, SizeColumn(e, exactSize));
            Ascii(o, "\r\n");
        }

        Ascii(o, "</pre><hr></body>\r\n</html>\r\n");
        return o.ToArray();
    }

    internal static string SizeColumn(Entry e, bool exactSize)
    {
        if (exactSize)
        {
            return e.Dir ? "                  -" : e.Size.ToString(CultureInfo.InvariantCulture).PadLeft(19);
        }

        if (e.Dir)
        {
            return "      -";
        }

        var length = e.Size;
        long size;
        char scale;
        const long G = 1024 * 1024 * 1024;
        const long M = 1024 * 1024;
        if (length > G - 1)
        {
            size = length / G + (length % G > G / 2 - 1 ? 1 : 0);
            scale = 'G';
        }
        else if (length > M - 1)
        {
            size = length / M + (length % M > M / 2 - 1 ? 1 : 0);
            scale = 'M';
        }
        else if (length > 9999)
        {
            size = length / 1024 + (length % 1024 > 511 ? 1 : 0);
            scale = 'K';
        }
        else
        {
            return " " + length.ToString(CultureInfo.InvariantCulture).PadLeft(6);
        }

        return size.ToString(CultureInfo.InvariantCulture).PadLeft(6) + scale;
    }

    public static byte[] Json(IReadOnlyList<Entry> entries, string? callback)
    {
        var o = new MemoryStream(64 + entries.Count * 100);
        if (callback is not null)
        {
            Ascii(o, "/* callback */\r\n");
            Ascii(o, callback);
            o.WriteByte((byte)'(');
        }

        o.WriteByte((byte)'[');
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            Ascii(o, "\r\n{ \"name\":\"");
            EscapeJson(o, e.Name);
            Ascii(o, "\", \"type\":\"");
            Ascii(o, e.Dir ? "directory" : e.File ? "file" : "other");
            Ascii(o, "\", \"mtime\":\"");
            Ascii(o, e.MTimeUtc.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture));
            if (e.File)
            {
                Ascii(o, "\", \"size\":");
                Ascii(o, e.Size.ToString(CultureInfo.InvariantCulture));
            }
            else
            {
                o.WriteByte((byte)'"');
            }

            Ascii(o, i == entries.Count - 1 ? " }" : " },");
        }

        Ascii(o, "\r\n]");
        if (callback is not null)
        {
            Ascii(o, ");");
        }

        return o.ToArray();
    }

    public static byte[] Xml(IReadOnlyList<Entry> entries)
    {
        var o = new MemoryStream(64 + entries.Count * 100);
        Ascii(o, "<?xml version=\"1.0\"?>\r\n<list>\r\n");
        foreach (var e in entries)
        {
            var type = e.Dir ? "directory" : e.File ? "file" : "other";
            Ascii(o, "<" + type + " mtime=\"");
            Ascii(o, e.MTimeUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            if (e.File)
            {
                Ascii(o, "\" size=\"" + e.Size.ToString(CultureInfo.InvariantCulture));
            }

            Ascii(o, "\">");
            EscapeHtml(o, e.Name);
            Ascii(o, "</" + type + ">\r\n");
        }

        Ascii(o, "</list>\r\n");
        return o.ToArray();
    }

    /// <summary>ngx_http_autoindex_jsonp_callback: at most 128 of [A-Za-z0-9_.].</summary>
    public static bool ValidCallback(string callback)
    {
        if (callback.Length > 128)
        {
            return false;
        }

        foreach (var ch in callback)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static void Ascii(MemoryStream o, string s)
    {
        foreach (var c in s)
        {
            o.WriteByte((byte)c);
        }
    }

    /// <summary>ngx_escape_html: &lt; &gt; &amp; &quot;.</summary>
    private static void EscapeHtml(MemoryStream o, ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
        {
            switch (b)
            {
                case (byte)'<': Ascii(o, "&lt;"); break;
                case (byte)'>': Ascii(o, "&gt;"); break;
                case (byte)'&': Ascii(o, "&amp;"); break;
                case (byte)'"': Ascii(o, "&quot;"); break;
                default: o.WriteByte(b); break;
            }
        }
    }

    /// <summary>ngx_escape_uri(NGX_ESCAPE_URI_COMPONENT): everything but letters, digits and <c>- . _ ~</c>.</summary>
    private static void EscapeUriComponent(MemoryStream o, ReadOnlySpan<byte> s)
    {
        const string hex = "0123456789ABCDEF";
        foreach (var b in s)
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~')
            {
                o.WriteByte(b);
            }
            else
            {
                o.WriteByte((byte)'%');
                o.WriteByte((byte)hex[b >> 4]);
                o.WriteByte((byte)hex[b & 15]);
            }
        }
    }

    /// <summary>ngx_escape_json: <c>"</c> and <c>\</c> backslashed, control bytes as \n \r \t \b \f or \u00XX.</summary>
    private static void EscapeJson(MemoryStream o, ReadOnlySpan<byte> s)
    {
        const string hex = "0123456789abcdef";
        foreach (var b in s)
        {
            if (b is (byte)'\\' or (byte)'"')
            {
                o.WriteByte((byte)'\\');
                o.WriteByte(b);
            }
            else if (b <= 0x1f)
            {
                switch (b)
                {
                    case (byte)'\n': Ascii(o, "\\n"); break;
                    case (byte)'\r': Ascii(o, "\\r"); break;
                    case (byte)'\t': Ascii(o, "\\t"); break;
                    case (byte)'\b': Ascii(o, "\\b"); break;
                    case (byte)'\f': Ascii(o, "\\f"); break;
                    default:
                        Ascii(o, "\\u00");
                        o.WriteByte((byte)hex[b >> 4]);
                        o.WriteByte((byte)hex[b & 15]);
                        break;
                }
            }
            else
            {
                o.WriteByte(b);
            }
        }
    }
}

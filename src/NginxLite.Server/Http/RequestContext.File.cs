using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using NginxLite.Handlers;
using NginxLite.Routing;

namespace NginxLite.Server.Http;

/// <summary>
/// A static file as nginx's filters shape it: ETag/Last-Modified (static module, header filter), conditional requests
/// (ngx_http_not_modified_filter_module: 412/304), add_header/expires (headers filter, which sees the status before the
/// range filter changes it), byte ranges (ngx_http_range_filter_module: 206 single or multipart/byteranges, 416).
/// </summary>
internal sealed partial class RequestContext
{
    private static long s_boundary = Random.Shared.NextInt64(1, 1L << 40);

    private async Task SendFileAsync(FileInfo file, bool head)
    {
        var headers = _response.Headers;
        var size = file.Length;
        var mtime = new DateTimeOffset(file.LastWriteTimeUtc).ToUnixTimeSeconds();
        var validators = t_validators is { } cached && cached.Mtime == mtime && cached.Size == size
            ? cached
            : t_validators = new Validators(mtime, size);
        var lastModified = validators.LastModified;
        var etag = Settings.Etag ? validators.Etag : null;
        var status = _forcedStatus ?? 200;

        if (status == 200 && NotModified(mtime, etag) is { } conditional)
        {
            if (conditional == 304)
            {
                SetStatus(304);
                headers.LastModified = lastModified;
                if (etag is not null)
                {
                    headers.ETag = etag;
                }

                AddExpires();
                AddHeaders();
                return;
            }

            await SendSpecialAsync(conditional, head);
            return;
        }

        // ngx_http_set_content_type keeps a type already set: the one an X-Accel-Redirect response carried.
        var contentType = Settings.Types.Lookup(Uri) ?? Settings.DefaultType;
        if (string.IsNullOrEmpty(headers.ContentType))
        {
            headers.ContentType = contentType;
        }

        // ngx_http_header_filter drops Last-Modified unless the status is 200, 206 or 304; the ETag stays
        // (an error_page answered from a file keeps it).
        if (status == 200)
        {
            headers.LastModified = lastModified;
        }

        if (etag is not null)
        {
            // nginx pushes a new ETag entry: an error page served after a 416 keeps the original's ETag too
            if (_forcedStatus is not null && headers.ETag.Count > 0)
            {
                headers.Append("ETag", etag);
            }
            else
            {
                headers.ETag = etag;
            }
        }

        SetStatus(status);
        if (status == 204)
        {
            HeaderOnlyStatus.ClearNoContent(headers); // error_page 404 =204 /file: the ETag alone stays
        }

        AddExpires();
        AddHeaders();

        long offset = 0, count = size;
        if (status == 200)
        {
            var outcome = RangeRequest(mtime, etag, size, out var ranges);
            switch (outcome)
            {
                case RangeResult.Satisfiable when ranges!.Count == 1:
                    SetStatus(206);
                    (offset, var end) = ranges[0];
                    count = end - offset;
                    headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {offset}-{end - 1}/{size}");
                    break;
                case RangeResult.Satisfiable:
                    SetStatus(206);
                    await SendMultipartAsync(file, contentType, size, ranges!, head);
                    return;
                case RangeResult.Unsatisfiable:
                    headers.Append("Content-Range", string.Create(CultureInfo.InvariantCulture, $"bytes */{size}"));
                    await SendSpecialAsync(416, head);
                    return;
                default:
                    headers.AcceptRanges = "bytes";
                    break;
            }
        }

        if (HeaderOnlyStatus.HasNoBody(Status))
        {
            // header_only: a 304 keeps the file's length, a 204 has none (and Kestrel refuses one on 1xx/205)
            if (HeaderOnlyStatus.AllowsContentLength(Status))
            {
                headers.ContentLength = count;
            }

            return;
        }

        headers.ContentLength = count;
        if (head || count == 0)
        {
            return;
        }

        await SendFileBodyAsync(file.FullName, offset, count);
        BodyBytesSent = count;
    }

    /// <summary>Last-Modified and ETag of the last file this thread sent, reused while its mtime and size stay.</summary>
    [ThreadStatic]
    private static Validators? t_validators;

    private sealed class Validators(long mtime, long size)
    {
        public long Mtime { get; } = mtime;

        public long Size { get; } = size;

        public string LastModified { get; } = DateTimeOffset.FromUnixTimeSeconds(mtime).ToString("R", CultureInfo.InvariantCulture);

        public string Etag { get; } = $"\"{mtime:x}-{size:x}\"";
    }

    /// <summary>Up to this many bytes are read into Kestrel's output in one piece and leave with the head when the
    /// request ends; larger parts go in chunks of this size, each flushed (Kestrel's back-pressure).</summary>
    private const int FileChunk = 64 * 1024;

    /// <summary>Bytes [offset, offset + count) of the file into the response: read (pread) straight into Kestrel's
    /// output buffers, no FileStream, no thread-pool hop per read.</summary>
    private async Task SendFileBodyAsync(string path, long offset, long count)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var writer = _body.Writer;
        var flush = count > FileChunk;
        while (count > 0)
        {
            var want = (int)Math.Min(count, FileChunk);
            var memory = writer.GetMemory(want);
            var n = RandomAccess.Read(handle, memory.Span[..Math.Min(memory.Length, want)], offset);
            if (n <= 0)
            {
                break; // the file shrank: Kestrel aborts the response (fewer bytes than Content-Length)
            }

            writer.Advance(n);
            offset += n;
            count -= n;
            if (flush)
            {
                var result = await writer.FlushAsync();
                if (result.IsCanceled || result.IsCompleted)
                {
                    return;
                }
            }
        }
    }

    /// <summary>A response a filter finalized (412, 416; ngx_http_filter_finalize_request): an <c>error_page</c> for
    /// the status runs as for any error (the page is served with the original's headers that a 416 keeps:
    /// Content-Range, ETag, add_header; a 412 keeps none), else nginx's page without the validators and Accept-Ranges
    /// (ngx_http_send_special_response). Checked against nginx 1.22.1.</summary>
    private async Task SendSpecialAsync(int status, bool head)
    {
        var headers = _response.Headers;
        headers.Remove("Last-Modified"); // sent only with 200, 206 and 304
        headers.ContentType = default; // ngx_http_clean_header zeroes content_type: the error page's file sets its own
        if (status == 412)
        {
            headers.Remove("ETag");
        }

        Outcome outcome;
        Status = 0; // not sent yet: $status is the error's while an error page runs
        try
        {
            outcome = Error(status);
            while (outcome.Kind == OutcomeKind.Restart)
            {
                outcome = Phases();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log(ErrorLevel.Crit, e.Message);
            outcome = Final(500);
        }

        if (outcome.Kind is OutcomeKind.Status or OutcomeKind.Redirect)
        {
            // ngx_http_clear_etag drops the latest ETag only (an earlier one, from before an error page, stays)
            var etags = headers.ETag;
            headers.ETag = etags.Count > 1 ? new Microsoft.Extensions.Primitives.StringValues(etags.ToArray()[..^1]) : default;
            headers.Remove("Accept-Ranges");
        }

        if (outcome.Kind != OutcomeKind.Status || outcome.Status != status)
        {
            await SendAsync(outcome, _features);
            return;
        }

        SetStatus(status);
        headers.ContentType = "text/html";
        AddHeaders();
        await WriteBodyAsync(StatusPages.Page(status, Settings.ServerTokens)!, head);
    }

    /// <summary>multipart/byteranges as ngx_http_range_filter_module writes it: per range CRLF "--boundary" CRLF
    /// "Content-Type: …" CRLF "Content-Range: bytes S-E/T" CRLF CRLF data, then CRLF "--boundary--" CRLF.</summary>
    private async Task SendMultipartAsync(FileInfo file, string contentType, long size, List<(long Start, long End)> ranges, bool head)
    {
        var boundary = Interlocked.Increment(ref s_boundary).ToString("D20", CultureInfo.InvariantCulture);
        var partHeader = contentType.Length > 0
            ? $"\r\n--{boundary}\r\nContent-Type: {contentType}\r\nContent-Range: bytes "
            : $"\r\n--{boundary}\r\nContent-Range: bytes ";
        var trailer = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        var parts = new byte[ranges.Count][];
        long length = trailer.Length;
        for (var i = 0; i < ranges.Count; i++)
        {
            var (start, end) = ranges[i];
            parts[i] = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{partHeader}{start}-{end - 1}/{size}\r\n\r\n"));
            length += parts[i].Length + (end - start);
        }

        _response.Headers.ContentType = "multipart/byteranges; boundary=" + boundary;
        _response.Headers.ContentLength = length;
        if (head)
        {
            return;
        }

        for (var i = 0; i < ranges.Count; i++)
        {
            WriteUnflushed(parts[i]);
            var (start, end) = ranges[i];
            await SendFileBodyAsync(file.FullName, start, end - start);
        }

        WriteUnflushed(trailer);
        BodyBytesSent = length;
    }

    /// <summary>ngx_http_not_modified_header_filter for a 200 response: 412 for a failed If-Unmodified-Since or
    /// If-Match, 304 when the If-Modified-Since and If-None-Match present both say not modified; null to send it.
    /// <paramref name="mtime"/> and <paramref name="etag"/> are null when the response has none (e.g. <c>return 200</c>).</summary>
    private int? NotModified(long? mtime, string? etag)
    {
        var h = _request.Headers;
        if (h["If-Unmodified-Since"].ToString() is { Length: > 0 } ius && (mtime is not { } lm || ParseHttpTime(ius) < lm))
        {
            return 412;
        }

        if (h["If-Match"].ToString() is { Length: > 0 } ifMatch && !EtagMatches(ifMatch, etag, weak: false))
        {
            return 412;
        }

        var ims = h["If-Modified-Since"].ToString();
        var inm = h["If-None-Match"].ToString();
        if (ims.Length == 0 && inm.Length == 0)
        {
            return null;
        }

        if (ims.Length > 0 && IsModified(ims, mtime))
        {
            return null;
        }

        if (inm.Length > 0 && !EtagMatches(inm, etag, weak: true))
        {
            return null;
        }

        return 304;
    }

    /// <summary>ngx_http_test_if_modified.</summary>
    private bool IsModified(string ims, long? mtime)
    {
        if (mtime is not { } lm || Settings.IfModifiedSince == "off")
        {
            return true;
        }

        var time = ParseHttpTime(ims);
        if (time == lm)
        {
            return false;
        }

        return Settings.IfModifiedSince != "before" || time < lm;
    }

    /// <summary>ngx_http_test_if_match: <c>*</c>, or one of the listed entity tags equal to the response's
    /// (<paramref name="weak"/>: If-None-Match's weak comparison, <c>W/</c> ignored on both sides).</summary>
    internal static bool EtagMatches(string list, string? etag, bool weak)
    {
        if (list == "*")
        {
            return true;
        }

        if (etag is null)
        {
            return false;
        }

        var tag = weak && etag.Length > 2 && etag.StartsWith("W/", StringComparison.Ordinal) ? etag.AsSpan(2) : etag.AsSpan();
        var s = list.AsSpan();
        var i = 0;
        while (i < s.Length)
        {
            if (weak && s.Length - i > 2 && s[i] == 'W' && s[i + 1] == '/')
            {
                i += 2;
            }

            if (tag.Length > s.Length - i)
            {
                return false;
            }

            if (s.Slice(i, tag.Length).SequenceEqual(tag))
            {
                var j = i + tag.Length;
                while (j < s.Length && s[j] is ' ' or '\t')
                {
                    j++;
                }

                if (j == s.Length || s[j] == ',')
                {
                    return true;
                }
            }

            while (i < s.Length && s[i] != ',')
            {
                i++;
            }

            while (i < s.Length && s[i] is ' ' or '\t' or ',')
            {
                i++;
            }
        }

        return false;
    }

    internal enum RangeResult
    {
        Declined,
        Satisfiable,
        Unsatisfiable,
    }

    /// <summary>ngx_http_range_header_filter's decision for a 200 file response: no (or a non-bytes) Range, a failed
    /// If-Range or <c>max_ranges 0</c> decline (the file is sent whole, with Accept-Ranges).</summary>
    private RangeResult RangeRequest(long mtime, string? etag, long size, out List<(long Start, long End)>? ranges)
    {
        ranges = null;
        if (Settings.MaxRanges == 0)
        {
            return RangeResult.Declined;
        }

        var range = _request.Headers["Range"].ToString();
        if (range.Length < 7 || !range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return RangeResult.Declined;
        }

        if (_request.Headers["If-Range"].ToString() is { Length: > 0 } ifRange)
        {
            if (ifRange.Length >= 2 && ifRange[^1] == '"')
            {
                if (etag is null || ifRange != etag)
                {
                    return RangeResult.Declined;
                }
            }
            else if (ParseHttpTime(ifRange) != mtime)
            {
                return RangeResult.Declined;
            }
        }

        ranges = [];
        return ParseRanges(range.AsSpan(6), size, Settings.MaxRanges, ranges);
    }

    /// <summary>ngx_http_range_parse: ranges as [start, end) in <paramref name="ranges"/>. Declined (send the whole
    /// file) when a range starts at 0 and is empty, there are more than <paramref name="maxRanges"/>, or they add up
    /// to more than the file; unsatisfiable when malformed or none overlaps the file.</summary>
    internal static RangeResult ParseRanges(ReadOnlySpan<char> spec, long contentLength, int maxRanges, List<(long Start, long End)> ranges)
    {
        const long cutoff = long.MaxValue / 10;
        const long cutlim = long.MaxValue % 10;
        var p = 0;
        long size = 0;
        long remaining = maxRanges;
        static char At(ReadOnlySpan<char> s, int i) => i < s.Length ? s[i] : '\0';

        while (true)
        {
            long start = 0, end = 0;
            var suffix = false;
            while (At(spec, p) == ' ')
            {
                p++;
            }

            var found = false;
            if (At(spec, p) != '-')
            {
                if (At(spec, p) is < '0' or > '9')
                {
                    return RangeResult.Unsatisfiable;
                }

                while (At(spec, p) is >= '0' and <= '9')
                {
                    if (start >= cutoff && (start > cutoff || At(spec, p) - '0' > cutlim))
                    {
                        return RangeResult.Unsatisfiable;
                    }

                    start = (start * 10) + (At(spec, p++) - '0');
                }

                while (At(spec, p) == ' ')
                {
                    p++;
                }

                if (At(spec, p++) != '-')
                {
                    return RangeResult.Unsatisfiable;
                }

                while (At(spec, p) == ' ')
                {
                    p++;
                }

                if (At(spec, p) is ',' or '\0')
                {
                    end = contentLength;
                    found = true;
                }
            }
            else
            {
                suffix = true;
                p++;
            }

            if (!found)
            {
                if (At(spec, p) is < '0' or > '9')
                {
                    return RangeResult.Unsatisfiable;
                }

                while (At(spec, p) is >= '0' and <= '9')
                {
                    if (end >= cutoff && (end > cutoff || At(spec, p) - '0' > cutlim))
                    {
                        return RangeResult.Unsatisfiable;
                    }

                    end = (end * 10) + (At(spec, p++) - '0');
                }

                while (At(spec, p) == ' ')
                {
                    p++;
                }

                if (At(spec, p) is not (',' or '\0'))
                {
                    return RangeResult.Unsatisfiable;
                }

                if (suffix)
                {
                    start = end < contentLength ? contentLength - end : 0;
                    end = contentLength - 1;
                }

                end = end >= contentLength ? contentLength : end + 1;
            }

            if (start < end)
            {
                ranges.Add((start, end));
                if (size > long.MaxValue - (end - start))
                {
                    return RangeResult.Unsatisfiable;
                }

                size += end - start;
                if (remaining-- == 0)
                {
                    return RangeResult.Declined;
                }
            }
            else if (start == 0)
            {
                return RangeResult.Declined;
            }

            if (At(spec, p++) != ',')
            {
                break;
            }
        }

        if (ranges.Count == 0)
        {
            return RangeResult.Unsatisfiable;
        }

        return size > contentLength ? RangeResult.Declined : RangeResult.Satisfiable;
    }

    private static readonly string[] HttpTimeFormats =
    [
        "dd MMM yyyy HH:mm:ss 'GMT'", // RFC 1123 (after "Tue, ")
        "dd-MMM-yy HH:mm:ss 'GMT'", // RFC 850 (after "Tuesday, ")
        "MMM d HH:mm:ss yyyy", // asctime (after "Tue ")
        "MMM dd HH:mm:ss yyyy",
    ];

    /// <summary>ngx_parse_http_time: the three HTTP date formats (the weekday is skipped, not checked); -1 when invalid.</summary>
    internal static long ParseHttpTime(string text)
    {
        var s = text.AsSpan().Trim();
        var space = s.IndexOf(' ');
        if (space < 0)
        {
            return -1;
        }

        var rest = s[(space + 1)..].TrimStart();
        return DateTime.TryParseExact(rest, HttpTimeFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowInnerWhite, out var d)
            ? new DateTimeOffset(d, TimeSpan.Zero).ToUnixTimeSeconds()
            : -1;
    }
}

using System.Globalization;

namespace NginxLite.Server.Http;

/// <summary>A static file: ETag/Last-Modified, conditional requests (304/412), one Range (206/416), sendfile.</summary>
internal sealed partial class RequestContext
{
    private async Task SendFileAsync(FileInfo file, bool head)
    {
        var headers = _response.Headers;
        var size = file.Length;
        var mtime = new DateTimeOffset(file.LastWriteTimeUtc).ToUnixTimeSeconds();
        var lastModified = DateTimeOffset.FromUnixTimeSeconds(mtime).ToString("R", CultureInfo.InvariantCulture);
        var etag = Settings.Etag ? $"\"{mtime:x}-{size:x}\"" : null;
        var status = _forcedStatus ?? 200;

        if (status == 200)
        {
            if (Precondition(mtime, etag) is { } conditional)
            {
                SetStatus(conditional);
                if (conditional == 304)
                {
                    headers.LastModified = lastModified;
                    if (etag is not null)
                    {
                        headers.ETag = etag;
                    }

                    AddExpires();
                    AddHeaders();
                    return;
                }

                headers.ContentType = "text/html";
                AddHeaders();
                await WriteBodyAsync(StatusPages.Page(412, Settings.ServerTokens)!, head);
                return;
            }
        }

        headers.ContentType = Settings.Types.Lookup(Uri) ?? Settings.DefaultType;
        if (status == 200)
        {
            headers.LastModified = lastModified;
            if (etag is not null)
            {
                headers.ETag = etag;
            }
        }

        long offset = 0, count = size;
        if (status == 200 && _request.Headers["Range"].ToString() is { Length: > 0 } range && IfRangeOk(lastModified, etag))
        {
            headers.AcceptRanges = "bytes";
            switch (ParseRange(range, size, out offset, out count))
            {
                case RangeResult.Satisfiable:
                    status = 206;
                    headers.ContentRange = $"bytes {offset}-{offset + count - 1}/{size}";
                    break;
                case RangeResult.Unsatisfiable:
                    SetStatus(416);
                    headers.ContentRange = $"bytes */{size}";
                    headers.ContentType = "text/html";
                    AddHeaders();
                    await WriteBodyAsync(StatusPages.Page(416, Settings.ServerTokens)!, head);
                    return;
                default:
                    offset = 0;
                    count = size;
                    break;
            }
        }
        else if (status == 200)
        {
            headers.AcceptRanges = "bytes";
        }

        SetStatus(status);
        AddExpires();
        AddHeaders();
        headers.ContentLength = count;
        if (head || count == 0)
        {
            return;
        }

        await _body.SendFileAsync(file.FullName, offset, count);
        BodyBytesSent = count;
    }

    /// <summary>ngx_http_not_modified_filter: 412 for a failed If-Unmodified-Since/If-Match, 304 when both
    /// If-Modified-Since and If-None-Match (those present) say not modified; null to send the file.</summary>
    private int? Precondition(long mtime, string? etag)
    {
        var h = _request.Headers;
        if (h["If-Unmodified-Since"].ToString() is { Length: > 0 } ius && TryParseDate(ius, out var iusTime) && mtime > iusTime)
        {
            return 412;
        }

        if (h["If-Match"].ToString() is { Length: > 0 } ifMatch && !EtagMatches(ifMatch, etag))
        {
            return 412;
        }

        var ims = h["If-Modified-Since"].ToString();
        var inm = h["If-None-Match"].ToString();
        if (ims.Length == 0 && inm.Length == 0)
        {
            return null;
        }

        if (ims.Length > 0 && Settings.IfModifiedSince != "off")
        {
            if (!TryParseDate(ims, out var imsTime))
            {
                return null;
            }

            var notModified = Settings.IfModifiedSince == "before" ? mtime <= imsTime : mtime == imsTime;
            if (!notModified)
            {
                return null;
            }
        }
        else if (ims.Length > 0)
        {
            return null;
        }

        if (inm.Length > 0 && !EtagMatches(inm, etag))
        {
            return null;
        }

        return 304;
    }

    private static bool EtagMatches(string header, string? etag)
    {
        if (header.Trim() == "*")
        {
            return true;
        }

        if (etag is null)
        {
            return false;
        }

        foreach (var item in header.Split(','))
        {
            var t = item.Trim();
            if (t.StartsWith("W/", StringComparison.Ordinal))
            {
                t = t[2..];
            }

            if (t == etag)
            {
                return true;
            }
        }

        return false;
    }

    private bool IfRangeOk(string lastModified, string? etag)
    {
        var ifRange = _request.Headers["If-Range"].ToString();
        if (ifRange.Length == 0)
        {
            return true;
        }

        return ifRange.StartsWith('"') ? ifRange == etag : ifRange == lastModified;
    }

    private static bool TryParseDate(string text, out long unix)
    {
        unix = 0;
        if (DateTimeOffset.TryParseExact(text.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out d))
        {
            unix = d.ToUnixTimeSeconds();
            return true;
        }

        return false;
    }

    private enum RangeResult
    {
        Ignore,
        Satisfiable,
        Unsatisfiable,
    }

    /// <summary>One <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c>; several ranges are answered with the whole file.</summary>
    private static RangeResult ParseRange(string header, long size, out long offset, out long count)
    {
        offset = 0;
        count = size;
        if (!header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase) || header.Contains(',', StringComparison.Ordinal))
        {
            return RangeResult.Ignore;
        }

        var spec = header[6..].Trim();
        var dash = spec.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return RangeResult.Ignore;
        }

        var startText = spec[..dash].Trim();
        var endText = spec[(dash + 1)..].Trim();
        if (startText.Length == 0)
        {
            if (!long.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out var suffix) || suffix == 0)
            {
                return suffix == 0 && endText.Length > 0 ? RangeResult.Unsatisfiable : RangeResult.Ignore;
            }

            offset = Math.Max(0, size - suffix);
            count = size - offset;
            return size == 0 ? RangeResult.Unsatisfiable : RangeResult.Satisfiable;
        }

        if (!long.TryParse(startText, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            return RangeResult.Ignore;
        }

        long end = size - 1;
        if (endText.Length > 0 && (!long.TryParse(endText, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start))
        {
            return RangeResult.Ignore;
        }

        if (start >= size)
        {
            return RangeResult.Unsatisfiable;
        }

        end = Math.Min(end, size - 1);
        offset = start;
        count = end - start + 1;
        return RangeResult.Satisfiable;
    }
}

namespace NginxLite.Server.Http;

/// <summary>
/// The Content-Type of nginx's own status page. ngx_http_send_special_response sets content_type to "text/html" but
/// leaves headers_out.charset, which ngx_http_upstream_copy_content_type filled from the upstream Content-Type an
/// X-Accel-Redirect kept; the header filter (ngx_http_header_filter) then appends "; charset=" and it. So php-fpm's
/// "text/html; charset=UTF-8" stays on the 404 page after an X-Accel-Redirect to a missing file (checked against
/// nginx 1.22.1 in Upstreams/AccelRedirect).
/// </summary>
internal static class SpecialResponseType
{
    private const string Html = "text/html";

    /// <summary>"text/html", plus the charset of <paramref name="current"/> (the type set before the page, if any).</summary>
    public static string For(string? current) => Charset(current) is { Length: > 0 } charset ? Html + "; charset=" + charset : Html;

    /// <summary>The charset ngx_http_upstream_copy_content_type takes from a Content-Type: the first ';' parameter
    /// (after spaces) that starts with "charset=" (any case); its value runs to the end of the field, with one leading
    /// and one trailing double quote dropped.</summary>
    public static string? Charset(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }

        var length = contentType.Length;
        for (var i = contentType.IndexOf(';', StringComparison.Ordinal); i >= 0; i = contentType.IndexOf(';', i + 1))
        {
            var p = i + 1;
            while (p < length && contentType[p] == ' ')
            {
                p++;
            }

            if (p == length)
            {
                return null;
            }

            if (string.Compare(contentType, p, "charset=", 0, 8, StringComparison.OrdinalIgnoreCase) != 0)
            {
                i = p; // nginx's loop steps past the character it just compared
                continue;
            }

            p += 8;
            if (p < length && contentType[p] == '"')
            {
                p++;
            }

            var end = length;
            if (end > p && contentType[end - 1] == '"')
            {
                end--;
            }

            return contentType[p..end];
        }

        return null;
    }
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using NginxLite.Interop.Tests.Http;

namespace NginxLite.Interop.Tests.Differential;

/// <summary>
/// What "the same response" means for the differential test. Compared: status, <c>Location</c>,
/// <c>Content-Type</c>, <c>Content-Length</c>, <c>Content-Range</c>, <c>Accept-Ranges</c>, <c>Cache-Control</c>,
/// every <c>X-*</c> header (what <c>add_header</c> sets), the presence of <c>ETag</c> and <c>Last-Modified</c>,
/// and the body. Not compared: <c>Server</c>, <c>Date</c>, <c>Connection</c>, validator values.
/// Normalised on both sides before comparing (each is a difference that is not a behaviour):
/// the server's own port (the two listen on different ports) in <c>Location</c> and the body; the
/// <c>multipart/byteranges</c> boundary; and the name in built-in error pages
/// (<c>&lt;hr&gt;&lt;center&gt;nginx&lt;/center&gt;</c>). <c>Content-Length</c> is compared after the same
/// normalisation; for HEAD (no body to normalise) an error page's length may differ by exactly the difference
/// in length of the two error-page names.
/// </summary>
public static class ResponseComparer
{
    private static readonly string[] ComparedHeaders = ["Location", "Content-Type", "Content-Range", "Accept-Ranges", "Cache-Control", "WWW-Authenticate"];

    /// <summary>The differences, one line each; empty when the responses are the same.</summary>
    public static IReadOnlyList<string> Differences(ServedResponse a, ServedResponse b)
    {
        var diffs = new List<string>();
        var ra = a.Response;
        var rb = b.Response;
        if (ra.Status != rb.Status)
        {
            diffs.Add($"status: {Status(ra)} vs {Status(rb)}");
        }

        if (ra.Status == 0 || rb.Status == 0)
        {
            // No HTTP response on at least one side: compare what came back on the wire.
            if (ra.Status == 0 && rb.Status == 0 && !Body(a).AsSpan().SequenceEqual(Body(b)))
            {
                diffs.Add($"bytes received: {ra.Body.Length} vs {rb.Body.Length} bytes, different content");
            }

            return diffs;
        }

        var boundaryA = Boundary(ra);
        var boundaryB = Boundary(rb);
        foreach (var name in ComparedHeaders.Concat(XHeaders(ra)).Concat(XHeaders(rb)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var va = Values(ra, name, a.Port, boundaryA);
            var vb = Values(rb, name, b.Port, boundaryB);
            if (va != vb)
            {
                diffs.Add($"{name}: {va ?? "(absent)"} vs {vb ?? "(absent)"}");
            }
        }

        foreach (var name in new[] { "ETag", "Last-Modified" })
        {
            if ((ra.Header(name) is null) != (rb.Header(name) is null))
            {
                diffs.Add($"{name}: {ra.Header(name) ?? "(absent)"} vs {rb.Header(name) ?? "(absent)"} (presence differs)");
            }
        }

        var bodyA = Body(a);
        var bodyB = Body(b);
        var lengthA = NormalizedLength(ra, bodyA);
        var lengthB = NormalizedLength(rb, bodyB);
        var headErrorPageSlack = ra.Body.Length == 0 && rb.Body.Length == 0 && ra.Status >= 300
            && lengthB - lengthA == Encoding.UTF8.GetByteCount(b.ErrorPageName) - Encoding.UTF8.GetByteCount(a.ErrorPageName);
        if (lengthA != lengthB && !headErrorPageSlack)
        {
            diffs.Add($"Content-Length (normalised): {Show(ra.Header("Content-Length"), lengthA)} vs {Show(rb.Header("Content-Length"), lengthB)}");
        }

        if (!bodyA.AsSpan().SequenceEqual(bodyB))
        {
            var at = bodyA.AsSpan().CommonPrefixLength(bodyB);
            diffs.Add($"body (normalised): {bodyA.Length} vs {bodyB.Length} bytes, first difference at byte {at}: " +
                      $"\"{RawResponse.Escape(bodyA.AsSpan(at), 60)}\" vs \"{RawResponse.Escape(bodyB.AsSpan(at), 60)}\"");
        }

        if (ra.Error != rb.Error)
        {
            diffs.Add($"framing: {ra.Error ?? "ok"} vs {rb.Error ?? "ok"}");
        }

        return diffs;
    }

    private static string Status(RawResponse r) => r.Status == 0 ? $"none ({r.Error})" : r.StatusLine;

    private static string Show(string? header, long normalized) =>
        header is null ? "(absent)" : header == normalized.ToString(CultureInfo.InvariantCulture) ? header : $"{header} (normalised {normalized})";

    private static IEnumerable<string> XHeaders(RawResponse r) =>
        r.Headers.Select(h => h.Key).Where(k => k.StartsWith("X-", StringComparison.OrdinalIgnoreCase));

    private static string? Values(RawResponse r, string name, int port, string? boundary)
    {
        var values = r.HeaderValues(name).ToList();
        if (values.Count == 0)
        {
            return null;
        }

        var joined = string.Join(" | ", values);
        joined = NormalizePort(joined, port);
        return boundary is null ? joined : joined.Replace(boundary, "BOUNDARY", StringComparison.Ordinal);
    }

    private static string? Boundary(RawResponse r)
    {
        var m = Regex.Match(r.Header("Content-Type") ?? "", @"^multipart/byteranges;\s*boundary=(\S+)", RegexOptions.IgnoreCase);
        return m.Success ? m.Groups[1].Value : null;
    }

    private static string NormalizePort(string s, int port) =>
        s.Replace(":" + port.ToString(CultureInfo.InvariantCulture), ":PORT", StringComparison.Ordinal);

    /// <summary>The body with this server's port, multipart boundary and error-page name replaced by placeholders.</summary>
    public static byte[] Body(ServedResponse served)
    {
        var body = served.Response.Body;
        if (body.Length == 0 || body.Length > 256 * 1024)
        {
            return body; // large bodies are files: compared as they are
        }

        var text = Encoding.Latin1.GetString(body);
        text = NormalizePort(text, served.Port);
        if (Boundary(served.Response) is { } boundary)
        {
            text = text.Replace(boundary, "BOUNDARY", StringComparison.Ordinal);
        }

        var name = Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(served.ErrorPageName));
        text = text.Replace($"<hr><center>{name}</center>", "<hr><center>SERVER</center>", StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text);
    }

    private static long NormalizedLength(RawResponse r, byte[] normalizedBody)
    {
        if (r.Header("Content-Length") is not { } cl || !long.TryParse(cl, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            return -1;
        }

        return length - (r.Body.Length - normalizedBody.Length);
    }
}

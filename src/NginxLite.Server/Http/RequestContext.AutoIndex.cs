using NginxLite.Handlers;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Server.Http;

/// <summary>
/// ngx_http_autoindex_module: a directory listing for a URI ending in '/' when no index file exists (GET/HEAD only),
/// in nginx's exact markup (html, xml, json, jsonp). The listing has no Content-Length (chunked, as nginx sends it),
/// no validators and no ranges.
/// </summary>
internal sealed partial class RequestContext
{
    private byte[]? _listing;
    private string? _listingType;

    /// <summary>Builds the listing of <paramref name="path"/> (the mapped directory, with its trailing slash); null
    /// when the request is not one autoindex answers.</summary>
    private Outcome? AutoIndex(string path)
    {
        if (!Settings.AutoIndex || Method is not ("GET" or "HEAD"))
        {
            return null;
        }

        var format = Settings.AutoIndexFormat;
        string? callback = null;
        if (format == AutoIndexFormat.Jsonp)
        {
            callback = ArgValue("callback");
            if (callback is { Length: > 0 } && !AutoIndexListing.ValidCallback(callback))
            {
                Log(ErrorLevel.Info, callback.Length > 128
                    ? $"client sent too long callback name: \"{callback}\""
                    : $"client sent invalid callback name: \"{callback}\"");
                return Error(400);
            }

            if (string.IsNullOrEmpty(callback))
            {
                format = AutoIndexFormat.Json;
            }
        }

        var dirPath = path.Length > 1 ? path.TrimEnd('/') : path;
        var dir = new DirectoryInfo(dirPath.Length == 0 ? "/" : dirPath);
        if (!dir.Exists)
        {
            Log(ErrorLevel.Error, $"opendir() \"{dirPath}\" failed (2: No such file or directory)");
            return Error(404);
        }

        List<AutoIndexListing.Entry> entries;
        try
        {
            entries = AutoIndexListing.Read(dir);
        }
        catch (UnauthorizedAccessException)
        {
            Log(ErrorLevel.Error, $"opendir() \"{dirPath}\" failed (13: Permission denied)");
            return Error(403);
        }

        var offset = Settings.AutoIndexLocaltime ? TimeZoneInfo.Local.GetUtcOffset(DateTime.UtcNow) : TimeSpan.Zero;
        (_listing, _listingType) = format switch
        {
            AutoIndexFormat.Json => (AutoIndexListing.Json(entries, null), "application/json"),
            AutoIndexFormat.Jsonp => (AutoIndexListing.Json(entries, callback), "application/javascript"),
            AutoIndexFormat.Xml => (AutoIndexListing.Xml(entries), "text/xml; charset=utf-8"),
            _ => (AutoIndexListing.Html(System.Text.Encoding.UTF8.GetBytes(Uri), entries, Settings.AutoIndexExactSize, offset), "text/html"),
        };
        return new Outcome(OutcomeKind.Listing, 200);
    }

    private async Task SendListingAsync(bool head)
    {
        var status = _forcedStatus ?? 200;
        if (status == 200 && await SendNotModifiedAsync(head))
        {
            return;
        }

        SetStatus(status);
        if (status != 204)
        {
            _response.Headers.ContentType = _listingType;
        }

        AddHeaders();
        if (head || HeaderOnlyStatus.HasNoBody(status))
        {
            return;
        }

        await _body.Writer.WriteAsync(_listing);
        BodyBytesSent = _listing!.Length;
    }
}

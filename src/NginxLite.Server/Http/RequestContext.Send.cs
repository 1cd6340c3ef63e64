using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers;
using NginxLite.Routing;

namespace NginxLite.Server.Http;

/// <summary>Writes the decided response: headers nginx would send, bodies (files by sendfile), then the access log.</summary>
internal sealed partial class RequestContext
{
    public async Task RunAsync(IFeatureCollection features)
    {
        Outcome outcome;
        try
        {
            outcome = Process();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log(ErrorLevel.Crit, $"{e.Message}");
            outcome = Final(500);
        }

        try
        {
            // A pass directive's handler runs here, off the synchronous phases; a status it hands back goes through
            // error_page, which may lead to another handler (error_page 502 @fallback) — bounded by the phases' own
            // limit of 10 internal redirects.
            while (outcome.Kind == OutcomeKind.Upstream)
            {
                var handler = _runtime.Handlers.For(Settings.Upstream!.Directive)!;
                HandlerResult result;
                try
                {
                    result = await handler.HandleAsync(this);
                }
                catch (Exception e) when (!_response.HasStarted && e is not OperationCanceledException)
                {
                    // A handler bug must not take the connection down with an unlogged 500 from Kestrel.
                    Log(ErrorLevel.Alert, $"{Settings.Upstream!.Directive} handler failed: {e.GetType().Name}: {e.Message} {e.StackTrace}");
                    result = HandlerResult.Error(500);
                }

                if (result.IsSent)
                {
                    return;
                }

                outcome = result.RedirectUri is { } target ? AfterHandlerRedirect(target) : AfterHandler(result.ErrorStatus);
            }

            await SendAsync(outcome, features);
        }
        finally
        {
            _runtime.LogAccess(this);
        }
    }

    private async Task SendAsync(Outcome outcome, IFeatureCollection features)
    {
        var headers = _response.Headers;
        var head = _request.Method == "HEAD";
        ApplyKeepalive();
        headers.Server = Settings.ServerTokens ? ServerFull : StatusPages.Product;
        switch (outcome.Kind)
        {
            case OutcomeKind.Close:
                Status = 444;
                features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
                features.Get<IHttpRequestLifetimeFeature>()?.Abort();
                return;
            case OutcomeKind.File:
                await SendFileAsync(outcome.File!, head);
                return;
            case OutcomeKind.Listing:
                await SendListingAsync(head);
                return;
            case OutcomeKind.Text:
                var status = _forcedStatus ?? outcome.Status;
                if (status == 200 && await SendNotModifiedAsync(head))
                {
                    return;
                }

                SetStatus(status);
                if (status == 204)
                {
                    // ngx_http_send_response set a type and a length; the header filter takes them off a 204
                    HeaderOnlyStatus.ClearNoContent(headers);
                }
                else if (string.IsNullOrEmpty(headers.ContentType))
                {
                    // ngx_http_send_response -> ngx_http_set_content_type keeps a type already set: the upstream's,
                    // kept across an X-Accel-Redirect (ngx_http_upstream_copy_content_type), charset included.
                    headers.ContentType = Settings.Types.Lookup(Uri) ?? Settings.DefaultType;
                }

                AddHeaders();
                WriteText(outcome.Text!, head);
                return;
            case OutcomeKind.Redirect:
                SetStatus(outcome.Status);
                headers.Location = AbsoluteLocation(outcome.Text!);
                break;
            default:
                SetStatus(outcome.Status);
                break;
        }

        var page = StatusPages.Page(Status, Settings.ServerTokens);
        if (page is not null)
        {
            headers.ContentType = SpecialResponseType.For(headers.ContentType);
        }

        if (Status == 494)
        {
            SetStatus(400); // "Request Header Or Cookie Too Large": its own page, a 400 on the wire and in the log
        }

        if (Status is 400 or 413 or 414 or 500)
        {
            headers.Connection = "close";
        }

        if (Status == 204)
        {
            HeaderOnlyStatus.ClearNoContent(headers); // e.g. try_files … =204 after an X-Accel-Redirect kept a type
        }

        AddHeaders();
        await WriteBodyAsync(page ?? [], head);
    }

    /// <inheritdoc cref="IUpstreamRequest.StartResponse"/>
    public void StartResponse(int status, string? reasonPhrase = null)
    {
        SetStatus(status);
        if (reasonPhrase is not null)
        {
            _response.ReasonPhrase = reasonPhrase;
        }

        var headers = _response.Headers;
        headers.Server = Settings.ServerTokens ? ServerFull : StatusPages.Product;

        // nginx relays an upstream's 204/205/1xx with its headers as they are (the status line is the upstream's, so
        // the header filter's 204 rule does not run); Kestrel refuses a Content-Length on them, so it goes.
        if (!HeaderOnlyStatus.AllowsContentLength(status))
        {
            headers.ContentLength = null;
        }

        if (status == 204 && IsHttp2)
        {
            // ngx_http_v2_header_filter looks at the status only: an upstream's 204 loses its Content-Type there
            HeaderOnlyStatus.ClearUpstreamNoContent(headers);
        }

        if (headers.Location.ToString() is { Length: > 0 } location)
        {
            headers.Location = AbsoluteLocation(location);
        }

        AddExpires();
        AddHeaders();
    }

    public void CountBodyBytes(long bytes) => BodyBytesSent += bytes;

    private void SetStatus(int status)
    {
        Status = status;
        _response.StatusCode = status;
        if (StatusPages.Reason(status) is { } reason)
        {
            _response.ReasonPhrase = reason;
        }
    }

    private const string ServerFull = StatusPages.Product + "/" + StatusPages.Version;

    /// <summary>The body goes into Kestrel's output unflushed: Kestrel flushes once when the request ends, so the
    /// head and a small body leave in one write.</summary>
    private Task WriteBodyAsync(byte[] body, bool head)
    {
        if (HeaderOnlyStatus.AllowsContentLength(Status))
        {
            _response.Headers.ContentLength = body.Length;
        }

        if (head || body.Length == 0 || HeaderOnlyStatus.HasNoBody(Status))
        {
            return Task.CompletedTask;
        }

        WriteUnflushed(body);
        BodyBytesSent = body.Length;
        return Task.CompletedTask;
    }

    /// <summary>Copies <paramref name="bytes"/> into Kestrel's output in one piece (asking for the whole size: before
    /// the response starts, Kestrel's span for a size hint of 0 can be too small to grow).</summary>
    private void WriteUnflushed(ReadOnlySpan<byte> bytes)
    {
        var writer = _body.Writer;
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }

    /// <summary><see cref="WriteBodyAsync"/> for a <c>return</c> text, encoded straight into Kestrel's output.</summary>
    private void WriteText(string text, bool head)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        if (HeaderOnlyStatus.AllowsContentLength(Status))
        {
            _response.Headers.ContentLength = length;
        }

        if (head || length == 0 || HeaderOnlyStatus.HasNoBody(Status))
        {
            return;
        }

        Encoding.UTF8.GetBytes(text, _body.Writer);
        BodyBytesSent = length;
    }

    /// <summary>add_header: only for 200 201 204 206 301 302 303 304 307 308 unless <c>always</c>.</summary>
    private void AddHeaders()
    {
        var rules = Settings.AddHeaders;
        if (rules.Length == 0)
        {
            return;
        }

        var ok = Status is 200 or 201 or 204 or 206 or 301 or 302 or 303 or 304 or 307 or 308;
        foreach (var rule in rules)
        {
            if (ok || rule.Always)
            {
                var value = rule.Value.Evaluate(this);
                if (value.Length > 0)
                {
                    _response.Headers.Append(rule.Name, value);
                }
            }
        }
    }

    private void AddExpires()
    {
        if (Settings.Expires is not { } expires || Status is not (200 or 201 or 204 or 206 or 301 or 302 or 303 or 304 or 307 or 308))
        {
            return;
        }

        var headers = _response.Headers;
        if (expires.Epoch)
        {
            headers.Expires = "Thu, 01 Jan 1970 00:00:01 GMT";
            headers.CacheControl = "no-cache";
        }
        else if (expires.Max)
        {
            headers.Expires = "Thu, 31 Dec 2037 23:55:55 GMT";
            headers.CacheControl = "max-age=315360000";
        }
        else
        {
            headers.Expires = DateTime.UtcNow.AddSeconds(expires.Seconds).ToString("R", CultureInfo.InvariantCulture);
            headers.CacheControl = expires.Seconds <= 0 ? "no-cache" : "max-age=" + expires.Seconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>ngx_http_header_filter: a relative Location becomes absolute (absolute_redirect), with the Host header's
    /// name (or the server name, server_name_in_redirect) and the port unless it is 80 (port_in_redirect).</summary>
    private string AbsoluteLocation(string location)
    {
        if (!location.StartsWith('/') || !Settings.AbsoluteRedirect)
        {
            return location;
        }

        var name = Settings.ServerNameInRedirect || Host.Length == 0 ? Server?.PrimaryName ?? "" : Host;
        if (name.Length == 0)
        {
            name = _connection?.LocalIpAddress?.ToString() ?? "localhost";
        }

        // ngx_http_header_filter: the scheme's default port (80, or 443 on an SSL connection) is left out
        var port = _connection?.LocalPort ?? 80;
        var portText = Settings.PortInRedirect && port != (IsHttps ? 443 : 80) && _connection?.LocalIpAddress is not null
            ? ":" + port.ToString(CultureInfo.InvariantCulture)
            : "";
        return (IsHttps ? "https://" : "http://") + name + portText + location;
    }

    /// <summary>
    /// nginx's not-modified filter on a generated 200 (return text, autoindex listing), which has no validators:
    /// only <c>If-None-Match: *</c> / <c>If-Unmodified-Since</c> can decide. Sends the 304 or 412 and returns true.
    /// </summary>
    private async Task<bool> SendNotModifiedAsync(bool head)
    {
        if (NotModified(null, null) is not { } conditional)
        {
            return false;
        }

        if (conditional == 412)
        {
            await SendSpecialAsync(412, head);
            return true;
        }

        // 304: no Content-Type and no Content-Length (ngx_http_not_modified_header_filter)
        SetStatus(304);
        AddHeaders();
        return true;
    }
}

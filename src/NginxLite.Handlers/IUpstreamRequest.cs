using Microsoft.AspNetCore.Http.Features;
using NginxLite.Routing;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Variables;

namespace NginxLite.Handlers;

/// <summary>
/// One request as a content handler sees it, after nginx's find-config and rewrite phases: the location's merged
/// settings, the (possibly rewritten) URI and args, variables to evaluate compiled values, and Kestrel's request and
/// response features. The server's RequestContext implements it; tests may implement it over a feature collection.
/// </summary>
public interface IUpstreamRequest : IRequestState
{
    /// <summary>Kestrel's features: <see cref="IHttpRequestFeature"/> (method, raw target, headers, body),
    /// <see cref="IHttpResponseFeature"/>, <see cref="IHttpResponseBodyFeature"/>, <see cref="IHttpConnectionFeature"/>.</summary>
    IFeatureCollection Features { get; }

    /// <summary>The compiled configuration the request runs under.</summary>
    RouteTable Table { get; }

    /// <summary>The settings of the location that chose the handler (http → server → location merged).</summary>
    LocationSettings Settings { get; }

    /// <summary>The request method after error_page changes (a POST redirected by error_page becomes GET).</summary>
    string Method { get; }

    /// <summary>The validated Host (lower case, no port), or empty.</summary>
    string Host { get; }

    /// <summary>True after an internal redirect (index, try_files, error_page, rewrite last, named location).</summary>
    bool IsInternal { get; }

    /// <summary>Fires when the client goes away.</summary>
    CancellationToken Aborted { get; }

    /// <summary>Writes an error-log line in nginx's format with this request's context (client, server, request, host).</summary>
    void Log(ErrorLevel level, string message);

    /// <summary>As <see cref="Log"/>, with nginx's <c>upstream: "http://127.0.0.1:8080/x"</c> part before <c>host:</c>.</summary>
    void LogUpstream(ErrorLevel level, string message, string upstream) => Log(level, message + ", upstream: \"" + upstream + "\"");

    /// <summary>The request target as the client sent it (path and query, nginx's <c>unparsed_uri</c>) while the URI
    /// and args are unchanged by rewrite or an internal redirect (nginx's <c>valid_unparsed_uri</c>); else null.</summary>
    string? UnparsedUri => null;

    /// <summary>
    /// Sets the response status and applies what nginx's header filters add to every response of this location:
    /// the <c>Server</c> header (server_tokens), <c>add_header</c> (with its status rule), <c>expires</c>, and an
    /// absolute <c>Location</c> for a relative one. Call once, after the upstream's own headers are copied and before
    /// the first body byte.
    /// </summary>
    void StartResponse(int status, string? reasonPhrase = null);

    /// <summary>Adds to <c>$body_bytes_sent</c> (the access log's count of body bytes written to the client).</summary>
    void CountBodyBytes(long bytes);
}

/// <summary>What a content handler did: sent a response itself, hands a status back for nginx's error handling
/// (error_page, the built-in page), or asks for an internal redirect (a CGI script's local <c>Location:</c>,
/// RFC 3875 §6.2.2) — the only choices before any byte of the response has been sent.</summary>
public readonly record struct HandlerResult(int ErrorStatus, string? RedirectUri = null)
{
    /// <summary>The handler wrote the response (headers and body, or it aborted the connection mid-body).</summary>
    public static readonly HandlerResult Sent = new(0);

    public bool IsSent => ErrorStatus == 0 && RedirectUri is null;

    /// <summary>The server answers with this status as nginx would (502 bad gateway, 504 timeout, an intercepted
    /// upstream error under *_intercept_errors …), running error_page.</summary>
    public static HandlerResult Error(int status) => new(status);

    /// <summary>The server restarts the request at <paramref name="uri"/> (path and optional <c>?args</c>) as a GET,
    /// the way nginx's internal redirects do (counted against the limit of 10).</summary>
    public static HandlerResult Redirect(string uri) => new(0, uri);
}

/// <summary>A content handler for one pass directive (<c>proxy_pass</c>, <c>fastcgi_pass</c> …).</summary>
public interface IContentHandler
{
    ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request);
}

using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Body;
using NginxLite.Handlers.Upstream;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// What fastcgi_pass and uwsgi_pass have in common: read (or start streaming) the client's body, build the params,
/// connect, send the request while reading the response (so an application that answers before it has read the whole
/// body is not deadlocked), relay the response, and turn failures into nginx's 502/504 with its error-log line.
/// Subclasses give the wire format.
/// </summary>
internal abstract partial class CgiUpstreamHandler(UpstreamPeers peers) : IContentHandler
{
    private readonly UpstreamPeers _peers = peers;

    /// <summary>nginx's schema in the error log's <c>upstream:</c> part ("fastcgi://").</summary>
    protected abstract string Scheme { get; }

    /// <summary>Whether a complete response leaves the connection reusable (FastCGI with FCGI_KEEP_CONN); it then goes
    /// to the group's keepalive cache, if the group has one (<c>keepalive N</c>).</summary>
    protected virtual bool KeepsConnection(IUpstreamRequest request) => false;

    /// <summary>The pass directive, for log lines ("fastcgi_pass").</summary>
    protected abstract string Directive { get; }

    /// <summary>A uwsgi app answers with an HTTP status line; a FastCGI app with CGI headers only.</summary>
    protected abstract bool AllowStatusLine { get; }

    protected abstract CgiUpstreamSettings SettingsOf(IUpstreamRequest request);

    /// <summary>The pass target of this request; plain, with this handler's <see cref="Scheme"/>, unless the module
    /// knows a TLS form (uwsgi_pass suwsgi://).</summary>
    private protected virtual PassTarget Target(IUpstreamRequest request, CgiUpstreamSettings settings) =>
        new(settings.Pass?.Evaluate(request) ?? "", Scheme, null);

    /// <summary>Whether a body may be streamed with request buffering off (nginx's uwsgi module buffers a chunked
    /// body anyway: the application needs CONTENT_LENGTH).</summary>
    protected abstract bool CanStream(bool chunked);

    /// <summary>Writes what precedes the body, or nothing when the params cannot be encoded (uwsgi's 64 KiB limit) or
    /// exceed what the peer takes (app_pass: the pool's buffer_size). With <paramref name="framed"/> (app_pass, which
    /// speaks uwsgi) the request carries app_pass's mark asking the worker to frame its response (docs/apps.md, "What
    /// app_pass sends").</summary>
    private protected abstract HeadWrite WriteHead(PipeWriter writer, IUpstreamRequest request, List<KeyValuePair<string, string>> parameters, bool framed);

    protected abstract void WriteBody(PipeWriter writer, in ReadOnlySequence<byte> data);

    protected abstract void WriteBodyEnd(PipeWriter writer);

    /// <summary>Decodes response bytes into <paramref name="relay"/>; true when the response is complete.</summary>
    protected abstract bool Decode(ref SequenceReader<byte> input, bool upstreamClosed, ResponseRelay relay, IUpstreamRequest request);

    public ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request) => HandleAsync(request, pool: null);

    /// <summary>The exchange; <paramref name="pool"/> is app_pass's pool (looked up once by its handler), whose chosen
    /// worker gives the connection instead of the peer API (null: a peer group, as for uwsgi_pass).</summary>
    protected internal async ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request, Apps.IAppPool? pool)
    {
        var settings = SettingsOf(request);
        var pass = pool is not null ? new PassTarget("", Scheme, null) : Target(request, settings);
        var target = pass.Address;
        if (pool is null && !IsAddress(target) && !request.Table.Upstreams.ContainsKey(target))
        {
            // A name from variables that is no upstream block: nginx would need a resolver (none is configured).
            request.Log(ErrorLevel.Error, $"no resolver defined to resolve {target}");
            return HandlerResult.Error(502);
        }

        var features = request.Features;
        var requestFeature = features.Get<IHttpRequestFeature>()!;
        var chunked = RequestBodyLength.IsUnknown(features);
        var hasBody = settings.PassRequestBody && (features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true);
        RequestBody body;
        try
        {
            // nginx streams only what is not already read with the head: a chunked body that arrived whole with it has
            // a known length even under *_request_buffering off.
            var buffer = settings.RequestBuffering || !CanStream(chunked) || (chunked && hasBody && await RequestBody.ArrivedWholeAsync(features, request.Aborted));
            body = !hasBody ? RequestBody.None
                : buffer ? await RequestBody.BufferAsync(features, request.Aborted)
                : RequestBody.Streamed(features);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == 413)
        {
            request.Log(ErrorLevel.Error, "client intended to send too large chunked body");
            return HandlerResult.Error(413);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            request.Log(ErrorLevel.Info, "client prematurely closed connection while reading client request body");
            return HandlerResult.Error(400);
        }

        await using (body)
        {
            string? skipHeader = null;
            if (chunked && body.Length >= 0)
            {
                // nginx sets the length of a buffered chunked body, so $content_length (CONTENT_LENGTH) has it.
                requestFeature.Headers.ContentLength = body.Length;
                skipHeader = "Content-Length";
            }

            var parameters = CgiParamsBuilder.Build(request, settings, skipHeader);
            var states = new UpstreamStates(request);
            states.BeginPhase();
            if (pool is not null)
            {
                return await PoolExchangeAsync(request, pool, settings, body, parameters, states);
            }

            var group = _peers.Find(request.Table, target);
            var client = features.Get<IHttpConnectionFeature>()?.RemoteIpAddress;
            var selection = _peers.Start(group, client, request, settings.NextUpstreamTries, settings.NextUpstreamTimeout);
            selection.Disabled = (peer, phase) => request.LogUpstream(ErrorLevel.Warn, UpstreamErrorPhase.TemporarilyDisabled + " " + phase, UpstreamUrl(pass, peer));
            var lastStatus = 502;
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                var peer = await ConnectAsync(request, selection, settings, pass, stale: null, states, started);
                if (peer.Connection is not { } connection)
                {
                    if (peer.Status == 0)
                    {
                        // nginx names the group in the log line (and $upstream_addr) when no peer could be picked, on the
                        // first try or on a retry (after a failed connect or a response dropped for http_…): it is
                        // ngx_http_upstream_next's NGX_HTTP_UPSTREAM_FT_NOLIVE, 502.
                        request.LogUpstream(ErrorLevel.Error, "no live upstreams while connecting to upstream", pass.Scheme + group.Config.Name);
                        states.Record(group.Config.Name, 502, started, connected: 0, headerAt: 0, length: 0);
                        return HandlerResult.Error(502);
                    }

                    lastStatus = peer.Status;
                    if (Retry(settings, peer.Condition, selection, body, request.Method, requestSent: false))
                    {
                        continue;
                    }

                    return HandlerResult.Error(peer.Status == 499 ? 499 : lastStatus);
                }

                var outcome = await ExchangeAsync(request, selection, connection, pass, body, parameters, states, started);
                if (outcome.Stale)
                {
                    // An idle cached connection the application had closed: a fresh one to the same peer, no failure
                    // counted (nginx retries a cached connection's error once more).
                    started = Stopwatch.GetTimestamp();
                    peer = await ConnectAsync(request, selection, settings, pass, stale: connection, states, started);
                    if (peer.Connection is null)
                    {
                        lastStatus = peer.Status;
                        if (peer.Status != 499 && Retry(settings, peer.Condition, selection, body, request.Method, requestSent: false))
                        {
                            continue;
                        }

                        return HandlerResult.Error(lastStatus);
                    }

                    outcome = await ExchangeAsync(request, selection, peer.Connection, pass, body, parameters, states, started);
                }

                if (outcome.Result is { } result)
                {
                    return result;
                }

                lastStatus = outcome.Status;
                if (outcome.Discarded)
                {
                    // The response's status is listed in *_next_upstream and the retry was already allowed when the
                    // head was read (ngx_http_upstream_test_next): the next peer, whatever the clock says now.
                    continue;
                }

                if (!Retry(settings, outcome.Condition, selection, body, request.Method, requestSent: true))
                {
                    return HandlerResult.Error(lastStatus);
                }
            }
        }
    }

    /// <summary><c>unix:/path</c> or <c>host:port</c>; a bare name is an <c>upstream {}</c> group, as nginx reads it.</summary>
    internal static bool IsAddress(string target)
    {
        if (target.StartsWith("unix:", StringComparison.Ordinal))
        {
            return true;
        }

        var colon = target.LastIndexOf(':');
        return colon > 0 && colon < target.Length - 1 && target.AsSpan(colon + 1).IndexOfAnyExceptInRange('0', '9') < 0;
    }

    private sealed class ClientBodyException(Exception inner) : Exception(inner.Message, inner);
}

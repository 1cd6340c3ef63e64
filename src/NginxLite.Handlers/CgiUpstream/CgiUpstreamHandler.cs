using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Proxy;
using NginxLite.Handlers.Upstream;
using NginxLite.Protocols.FastCgi;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>
/// What fastcgi_pass and uwsgi_pass have in common: read (or start streaming) the client's body, build the params,
/// connect, send the request while reading the response (so an application that answers before it has read the whole
/// body is not deadlocked), relay the response, and turn failures into nginx's 502/504 with its error-log line.
/// Subclasses give the wire format.
/// </summary>
internal abstract class CgiUpstreamHandler(UpstreamPeers peers) : IContentHandler
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

    /// <summary>Whether a body may be streamed with request buffering off (nginx's uwsgi module buffers a chunked
    /// body anyway: the application needs CONTENT_LENGTH).</summary>
    protected abstract bool CanStream(bool chunked);

    /// <summary>Writes what precedes the body; false when the params cannot be encoded (uwsgi's 64 KiB limit).</summary>
    protected abstract bool WriteHead(PipeWriter writer, IUpstreamRequest request, List<KeyValuePair<string, string>> parameters);

    /// <summary>As <see cref="WriteHead(PipeWriter, IUpstreamRequest, List{KeyValuePair{string, string}})"/>; with
    /// <paramref name="framed"/> the request carries app_pass's mark asking the worker to frame its response
    /// (docs/apps.md, "What app_pass sends").</summary>
    protected virtual bool WriteHead(PipeWriter writer, IUpstreamRequest request, List<KeyValuePair<string, string>> parameters, bool framed) =>
        WriteHead(writer, request, parameters);

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
        var target = pool is not null ? "" : settings.Pass?.Evaluate(request) ?? "";
        if (pool is null && !IsAddress(target) && !request.Table.Upstreams.ContainsKey(target))
        {
            // A name from variables that is no upstream block: nginx would need a resolver (none is configured).
            request.Log(ErrorLevel.Error, $"no resolver defined to resolve {target}");
            return HandlerResult.Error(502);
        }

        var features = request.Features;
        var requestFeature = features.Get<IHttpRequestFeature>()!;
        var chunked = requestFeature.Headers.TransferEncoding.ToString().Contains("chunked", StringComparison.OrdinalIgnoreCase);
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
            selection.Disabled = (peer, phase) => request.LogUpstream(ErrorLevel.Warn, UpstreamErrorPhase.TemporarilyDisabled + " " + phase, UpstreamUrl(peer));
            var lastStatus = 502;
            var discarded = false;
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                var peer = await ConnectAsync(request, selection, settings, stale: null, states, started);
                if (peer.Connection is not { } connection)
                {
                    if (peer.Status == 0 && (selection.Attempts == 0 || discarded))
                    {
                        // nginx names the group in the log line (and $upstream_addr) when no peer could be picked; after
                        // a response dropped for http_… it is ngx_http_upstream_next's NGX_HTTP_UPSTREAM_FT_NOLIVE: 502.
                        request.LogUpstream(ErrorLevel.Error, "no live upstreams while connecting to upstream", Scheme + group.Config.Name);
                        states.Record(group.Config.Name, 502, started, connected: 0, headerAt: 0, length: 0);
                        return HandlerResult.Error(502);
                    }

                    lastStatus = peer.Status == 0 ? lastStatus : peer.Status;
                    if (peer.Status != 0 && Retry(settings, peer.Condition, selection, body, request.Method, requestSent: false))
                    {
                        continue;
                    }

                    return HandlerResult.Error(peer.Status == 499 ? 499 : lastStatus);
                }

                var outcome = await ExchangeAsync(request, selection, connection, body, parameters, states, started);
                if (outcome.Stale)
                {
                    // An idle cached connection the application had closed: a fresh one to the same peer, no failure
                    // counted (nginx retries a cached connection's error once more).
                    started = Stopwatch.GetTimestamp();
                    peer = await ConnectAsync(request, selection, settings, stale: connection, states, started);
                    if (peer.Connection is null)
                    {
                        lastStatus = peer.Status;
                        if (peer.Status != 499 && Retry(settings, peer.Condition, selection, body, request.Method, requestSent: false))
                        {
                            continue;
                        }

                        return HandlerResult.Error(lastStatus);
                    }

                    outcome = await ExchangeAsync(request, selection, peer.Connection, body, parameters, states, started);
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
                    discarded = true;
                    continue;
                }

                if (!Retry(settings, outcome.Condition, selection, body, request.Method, requestSent: true))
                {
                    return HandlerResult.Error(lastStatus);
                }
            }
        }
    }

    /// <summary>app_pass: one attempt on the worker the pool chose (no next_upstream: the pool already skipped workers
    /// that refused the connect). A worker killed by harakiri answers 504, as uWSGI's harakiri does behind nginx.</summary>
    private async ValueTask<HandlerResult> PoolExchangeAsync(
        IUpstreamRequest request, Apps.IAppPool pool, CgiUpstreamSettings settings, RequestBody body, List<KeyValuePair<string, string>> parameters,
        UpstreamStates states)
    {
        var started = Stopwatch.GetTimestamp();
        Apps.AppLease? lease;
        try
        {
            lease = await pool.ConnectAsync(settings.ConnectTimeout, request.Aborted);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            return HandlerResult.Error(499);
        }

        if (lease is null)
        {
            request.LogUpstream(ErrorLevel.Error, "no live upstreams while connecting to upstream", Scheme + pool.Name);
            states.Record(pool.Name, 502, started, connected: 0, headerAt: 0, length: 0);
            return HandlerResult.Error(502);
        }

        var address = lease.Address;
        // $upstream_addr is the worker's socket ("unix:/…/worker-N.sock"), as nginx in front of that worker would print it.
        var outcome = await ExchangeAsync(request, new Release(null, null, lease), lease.Socket, lease.Reused,
            Scheme + address + (address.StartsWith("unix:", StringComparison.Ordinal) ? ":" : ""), body, parameters,
            new Attempt(states, address, started, NextUpstream: null));
        if (outcome.Stale)
        {
            // A kept connection that failed before any response byte: the worker went meanwhile (killed, recycled).
            // Once more on a fresh connection, as nginx retries a cached upstream connection.
            lease.End(failed: false, status: 0, responseBytes: 0);
            if (lease.KilledByHarakiri)
            {
                return HandlerResult.Error(504);
            }

            return await PoolExchangeAsync(request, pool, settings, body, parameters, states);
        }

        return outcome.Result ?? HandlerResult.Error(lease.KilledByHarakiri ? 504 : outcome.Status);
    }

    /// <summary>Gives a connection back once: to the peer API (selection and peer) or to an app pool (lease).</summary>
    private readonly record struct Release(PeerSelection? Selection, Upstream.UpstreamConnection? Peer, Apps.AppLease? Lease)
    {
        public void Done(bool failed, bool keepAlive, int status, long bytes)
        {
            if (Lease is not null)
            {
                Lease.End(failed, status, bytes, reusable: keepAlive);
            }
            else
            {
                Selection!.Release(Peer!, failed, keepAlive);
            }
        }
    }

    /// <summary>nginx's <c>upstream: "…"</c> error-log part: <c>fastcgi://127.0.0.1:9000</c>, <c>fastcgi://unix:/x:</c>.</summary>
    private string UpstreamUrl(Peer peer) =>
        Scheme + (peer.Name.StartsWith("unix:", StringComparison.Ordinal) ? peer.Name + ":" : peer.Name);

    /// <summary>ngx_http_upstream_next: another peer when the condition is listed, tries and time are left, the body can be
    /// sent again, and (once the request went out) the method is idempotent or <c>non_idempotent</c> is listed.</summary>
    internal static bool Retry(CgiUpstreamSettings settings, NextUpstream condition, PeerSelection selection, RequestBody body, string method, bool requestSent) =>
        (settings.NextUpstream & condition) != 0 && selection.CanRetry && body.Replayable
        && (!requestSent || (settings.NextUpstream & NextUpstream.NonIdempotent) != 0 || method is not ("POST" or "LOCK" or "PATCH"));

    /// <summary>A connection from the peer API (cache or new), or the status and next_upstream condition of a failed
    /// connect (logged here); status 0 with no connection: no peer left to pick.</summary>
    private readonly record struct Connected(Upstream.UpstreamConnection? Connection, int Status, NextUpstream Condition);

    private async ValueTask<Connected> ConnectAsync(
        IUpstreamRequest request, PeerSelection selection, CgiUpstreamSettings settings, Upstream.UpstreamConnection? stale, UpstreamStates states, long started)
    {
        try
        {
            var connection = stale is null
                ? await selection.ConnectAsync(settings.ConnectTimeout, request.Aborted)
                : await selection.ReconnectAsync(stale, settings.ConnectTimeout, request.Aborted);
            return new(connection, 0, NextUpstream.None);
        }
        catch (UpstreamConnectException e)
        {
            request.LogUpstream(ConnectLevel(e), e.Message, UpstreamUrl(e.Peer));
            selection.ReportDisabled(e);
            states.Record(e.Peer.Name, e.TimedOut ? 504 : 502, started, connected: 0, headerAt: 0, length: 0);
            return e.TimedOut ? new(null, 504, NextUpstream.Timeout) : new(null, 502, NextUpstream.Error);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            return new(null, 499, NextUpstream.None);
        }
    }

    /// <summary>ngx_event_connect_peer: a unix socket that is missing or not permitted is [crit]; refused (and TCP
    /// failures, found later by ngx_http_upstream_test_connect) are [error].</summary>
    private static ErrorLevel ConnectLevel(UpstreamConnectException e) =>
        e.Message.StartsWith("connect() to unix:", StringComparison.Ordinal)
        && !e.Message.Contains("(111:", StringComparison.Ordinal) && !e.Message.Contains("(11:", StringComparison.Ordinal)
        && !e.Message.Contains("(104:", StringComparison.Ordinal)
            ? ErrorLevel.Crit
            : ErrorLevel.Error;

    /// <summary>What one attempt came to: a result for the dispatcher, or a failure (status, next_upstream condition)
    /// that may be retried on another peer, or a stale cached connection, or a response dropped for the next peer.</summary>
    private readonly record struct Outcome(
        HandlerResult? Result, int Status = 0, NextUpstream Condition = NextUpstream.None, bool Stale = false, bool Discarded = false);

    /// <summary>One attempt's bookkeeping: where its <c>$upstream_*</c> entry goes, the peer's address, when the
    /// attempt started, and the status test of <c>*_next_upstream http_…</c> (null: app_pass, no next peer).</summary>
    private readonly record struct Attempt(UpstreamStates States, string Address, long Started, Func<int, bool>? NextUpstream);

    private ValueTask<Outcome> ExchangeAsync(
        IUpstreamRequest request, PeerSelection selection, Upstream.UpstreamConnection peer, RequestBody body, List<KeyValuePair<string, string>> parameters,
        UpstreamStates states, long started)
    {
        var settings = SettingsOf(request);
        var method = request.Method;
        Func<int, bool>? next = null;
        if ((settings.NextUpstream & StatusConditions) != 0)
        {
            next = status => ProxyHandler.Classify(status).Condition is var c && c != NextUpstream.None
                && Retry(settings, c, selection, body, method, requestSent: true);
        }

        return ExchangeAsync(request, new Release(selection, peer, null), peer.Socket, peer.Reused, UpstreamUrl(peer.Peer), body, parameters,
            new Attempt(states, peer.Peer.Name, started, next));
    }

    /// <summary>The status conditions fastcgi_next_upstream / uwsgi_next_upstream accept (no http_502/504 there).</summary>
    private const NextUpstream StatusConditions =
        NextUpstream.Http500 | NextUpstream.Http503 | NextUpstream.Http403 | NextUpstream.Http404 | NextUpstream.Http429;

    private async ValueTask<Outcome> ExchangeAsync(
        IUpstreamRequest request, Release release, Socket socket, bool reused, string upstream, RequestBody body, List<KeyValuePair<string, string>> parameters,
        Attempt attempt)
    {
        var settings = SettingsOf(request);
        var connected = Stopwatch.GetTimestamp();
        var failureStatus = 0;
        var recordedAtHead = false;
        long headerAt = 0;
        long bodyBytes = 0;
        var connection = new UpstreamConnection(socket, settings.ReadTimeout, settings.SendTimeout);
        var failed = false;
        var keep = false;
        var stale = false;
        var framed = release.Lease?.Framed == true;
        var upstreamStatus = 0;
        var upstreamBytes = 0L;
        try
        {
            if (!WriteHead(connection.Writer, request, parameters, framed))
            {
                request.Log(ErrorLevel.Error, $"{Directive[..^5]} request is too big");
                failureStatus = -1; // nginx fails before connecting: no upstream state
                return new(HandlerResult.Error(500));
            }

            using var relay = new ResponseRelay(request, settings, AllowStatusLine)
            {
                Upstream = upstream,
                Framed = framed,
                NextUpstream = attempt.NextUpstream,
                Starting = r =>
                {
                    recordedAtHead = true;
                    attempt.States.Record(attempt.Address, r.UpstreamStatus, attempt.Started, connected, r.HeaderAt, length: 0);
                },
            };
            // Only a body needs its own cancellation (to stop reading the client's body when the response ends first);
            // a request without one is sent with the head, and the linked source and its registration are not made.
            using var sendCancel = body.IsEmpty ? null : CancellationTokenSource.CreateLinkedTokenSource(request.Aborted);
            var send = SendAsync(connection, body, sendCancel?.Token ?? request.Aborted);
            var received = false;
            var rawConsumed = 0L; // raw upstream bytes consumed so far
            var rawSeen = 0L; // raw upstream bytes received so far (consumed or not)
            try
            {
                var complete = false;
                ValueTask<ReadResult> ahead = default;
                var hasAhead = false;
                while (!complete)
                {
                    var stage = relay.HeadDone ? UpstreamErrors.Reading : UpstreamErrors.ReadingHeader;
                    var result = hasAhead ? await ahead : await connection.ReadAsync(stage);
                    hasAhead = false;
                    if (result.IsCanceled)
                    {
                        await send; // the send failed: its exception is the answer
                    }

                    received |= result.Buffer.Length > 0;
                    rawSeen = rawConsumed + result.Buffer.Length;
                    relay.RawBase = rawConsumed;
                    var input = new SequenceReader<byte>(result.Buffer);
                    try
                    {
                        complete = Decode(ref input, result.IsCompleted, relay, request);
                    }
                    catch (FastCgiProtocolException e)
                    {
                        throw UpstreamErrors.Protocol(e.Message, stage);
                    }

                    // Reusable only when the response ended exactly at the end of what was read, the application did
                    // not close, and the whole request went out.
                    var leftover = input.Remaining;
                    rawConsumed += input.Consumed;
                    connection.Reader.AdvanceTo(input.Position, result.Buffer.End);
                    if (relay.Intercepted != 0)
                    {
                        return new(HandlerResult.Error(relay.Intercepted));
                    }

                    if (relay.Redirected is { } redirect)
                    {
                        keep = false; // nginx finalizes the upstream request without reading the rest
                        return new(redirect);
                    }

                    if (relay.Discarded is var dropped and not 0)
                    {
                        // ngx_http_upstream_next: the connection is closed; 500/503/429 count toward max_fails,
                        // 403/404 do not (NGX_PEER_NEXT). No error-log line, as in nginx.
                        keep = false;
                        failed = ProxyHandler.Classify(dropped).CountsAsFailure;
                        return new(null, dropped, ProxyHandler.Classify(dropped).Condition, Discarded: true);
                    }

                    // The last bytes are not flushed here: Kestrel sends them with the end of the response in one write.
                    // Nor are they when the next bytes (or the application's close, which ends a uwsgi response) are
                    // already there: the next read is started first, and a read that completes at once (no wait) is
                    // taken before the flush, so a short response goes to the client in one write, not two.
                    var flush = !complete;
                    if (flush && !result.IsCompleted && relay.Pending < ReadAheadLimit)
                    {
                        ahead = connection.ReadAsync(relay.HeadDone ? UpstreamErrors.Reading : UpstreamErrors.ReadingHeader);
                        hasAhead = true;
                        flush = !ahead.IsCompleted;
                    }

                    if (!await relay.FlushAsync(flush))
                    {
                        if (hasAhead)
                        {
                            await StopReadAsync(connection, ahead);
                        }

                        return new(HandlerResult.Sent); // the client went away
                    }

                    if (!complete && result.IsCompleted)
                    {
                        throw UpstreamErrors.PrematureClose(relay.HeadDone ? UpstreamErrors.Reading : UpstreamErrors.ReadingHeader);
                    }

                    keep = complete && leftover == 0 && !result.IsCompleted && (framed || KeepsConnection(request));
                }

                return new(HandlerResult.Sent);
            }
            catch (UpstreamException e)
            {
                keep = false;
                // app_pass tries a non-idempotent request once only: a kept connection's worker may have died while
                // running it (nginx passes such a request to no other server once sent, unless non_idempotent).
                if (!relay.Started && !received && reused && body.Replayable && e.Status != 504
                    && (release.Lease is null || request.Method is not ("POST" or "LOCK" or "PATCH")))
                {
                    stale = true;
                    failureStatus = 502; // nginx keeps the stale connection's state: 502 in $upstream_status
                    return new(null, Stale: true);
                }

                request.LogUpstream(e.Level, e.Message, upstream);
                if (!relay.Started)
                {
                    failureStatus = e.Status;
                    // Errors, timeouts and invalid headers count toward max_fails (ngx_http_upstream_next).
                    failed = true;
                    var condition = e.Status == 504 ? NextUpstream.Timeout
                        : e.Message.StartsWith("upstream sent", StringComparison.Ordinal) || e.Message.StartsWith("upstream prematurely closed FastCGI", StringComparison.Ordinal)
                            ? NextUpstream.InvalidHeader
                            : NextUpstream.Error;
                    return new(null, e.Status, condition);
                }

                request.Features.Get<IHttpRequestLifetimeFeature>()?.Abort(); // nginx closes a response it cannot finish
                return new(HandlerResult.Sent);
            }
            catch (ClientBodyException)
            {
                keep = false;
                request.Log(ErrorLevel.Info, "client prematurely closed connection while sending request to upstream");
                return new(relay.Started ? HandlerResult.Sent : HandlerResult.Error(400));
            }
            finally
            {
                upstreamStatus = relay.UpstreamStatus;
                upstreamBytes = relay.UpstreamBytes;
                headerAt = relay.HeaderAt;
                bodyBytes = headerAt == 0 || relay.Discarded != 0 ? 0 : rawSeen - relay.RawHeadEnd;
                if (!send.IsCompleted)
                {
                    keep = false;
                    sendCancel?.Cancel();
                    connection.CancelSend();
                }

                try
                {
                    await send;
                }
                catch (Exception e) when (e is UpstreamException or ClientBodyException or OperationCanceledException or InvalidOperationException
                                              or IOException or ObjectDisposedException)
                {
                    // The response decided the outcome; a send cut short after it does not matter (the client's body
                    // reader may already be completed by Kestrel once the response ended).
                    keep = false;
                }
            }
        }
        finally
        {
            // A failure before the head decides the status (a garbled head parsed no status); after it, the
            // upstream's own status stands, as ngx_http_upstream_next only sets a state's status when it is 0.
            if (recordedAtHead)
            {
                attempt.States.Complete(attempt.Started, bodyBytes);
            }
            else if (failureStatus >= 0)
            {
                attempt.States.Record(attempt.Address, failureStatus != 0 && headerAt == 0 ? failureStatus : upstreamStatus != 0 ? upstreamStatus : failureStatus,
                    attempt.Started, connected, headerAt, bodyBytes);
            }

            if (stale)
            {
                await connection.DisposeAsync(); // ReconnectAsync connects anew to the same peer; it stays counted
            }
            else if (keep)
            {
                await connection.CloseAsync(keepSocket: true);
                release.Done(failed: false, keepAlive: true, upstreamStatus, upstreamBytes);
            }
            else
            {
                release.Done(failed, keepAlive: false, upstreamStatus, upstreamBytes);
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>Response bytes held back from the client while the next upstream read completes at once.</summary>
    private const long ReadAheadLimit = 65536;

    /// <summary>Ends a read started ahead that nobody will take (the client went away).</summary>
    private static async ValueTask StopReadAsync(UpstreamConnection connection, ValueTask<ReadResult> read)
    {
        connection.CancelSend(); // cancels every operation of the connection, which is not reused now
        try
        {
            await read;
        }
        catch (UpstreamException)
        {
        }
    }

    /// <summary>Sends the head and the body; a send timeout also stops the read, so the request ends with 504.</summary>
    private async Task SendAsync(UpstreamConnection connection, RequestBody body, CancellationToken cancel)
    {
        // Runs synchronously until the socket or the client's body makes it wait (a small request is sent before the
        // read loop starts, with no thread hop); from then on alongside the read loop.
        // A body buffered in memory (or none) goes out with the head and its end marker in one send.
        var gather = body.Length is >= 0 and <= RequestBody.MemoryLimit;
        try
        {
            if (!gather)
            {
                await connection.FlushAsync();
            }

            try
            {
                await body.CopyToAsync(static async (data, state) =>
                {
                    state.Handler.WriteBody(state.Connection.Writer, data);
                    if (!state.Gather)
                    {
                        await state.Connection.FlushAsync();
                    }
                }, (Handler: this, Connection: connection, Gather: gather), cancel);
            }
            catch (Exception e) when (e is not UpstreamException && !cancel.IsCancellationRequested)
            {
                throw new ClientBodyException(e);
            }

            WriteBodyEnd(connection.Writer);
            await connection.FlushAsync();
        }
        catch (Exception e) when (e is UpstreamException { Status: 504 } or ClientBodyException)
        {
            connection.Reader.CancelPendingRead();
            throw;
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

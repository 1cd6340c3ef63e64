using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Proxy;
using NginxLite.Handlers.Upstream;
using NginxLite.Protocols.FastCgi;
using NginxLite.Routing;
using NginxLite.Routing.Settings;

namespace NginxLite.Handlers.CgiUpstream;

/// <summary>One attempt on a peer: connect, send the request while reading the response, and what it came to
/// (docs/fastcgi-uwsgi.md).</summary>
internal abstract partial class CgiUpstreamHandler
{
    /// <summary>What one attempt came to: a result for the dispatcher, or a failure (status, next_upstream condition)
    /// that may be retried on another peer, or a stale cached connection, or a response dropped for the next peer.</summary>
    private readonly record struct Outcome(
        HandlerResult? Result, int Status = 0, NextUpstream Condition = NextUpstream.None, bool Stale = false, bool Discarded = false);

    /// <summary>One attempt's bookkeeping: where its <c>$upstream_*</c> entry goes, the peer's address, when the
    /// attempt started, and the status test of <c>*_next_upstream http_…</c> (null: app_pass, no next peer).</summary>
    private readonly record struct Attempt(UpstreamStates States, string Address, long Started, Func<int, bool>? NextUpstream);

    private ValueTask<Outcome> ExchangeAsync(
        IUpstreamRequest request, PeerSelection selection, Upstream.UpstreamConnection peer, PassTarget pass, RequestBody body,
        List<KeyValuePair<string, string>> parameters, UpstreamStates states, long started)
    {
        var settings = SettingsOf(request);
        var method = request.Method;
        Func<int, bool>? next = null;
        if ((settings.NextUpstream & StatusConditions) != 0)
        {
            next = status => ProxyHandler.Classify(status).Condition is var c && c != NextUpstream.None
                && Retry(settings, c, selection, body, method, requestSent: true);
        }

        return ExchangeAsync(request, new Release(selection, peer, null), peer.Socket, peer.Tls, peer.Reused, UpstreamUrl(pass, peer.Peer), body, parameters,
            new Attempt(states, peer.Peer.Name, started, next));
    }

    /// <summary>The status conditions fastcgi_next_upstream / uwsgi_next_upstream accept (no http_502/504 there).</summary>
    private const NextUpstream StatusConditions =
        NextUpstream.Http500 | NextUpstream.Http503 | NextUpstream.Http403 | NextUpstream.Http404 | NextUpstream.Http429;

    private async ValueTask<Outcome> ExchangeAsync(
        IUpstreamRequest request, Release release, Socket socket, SslStream? tls, bool reused, string upstream, RequestBody body, List<KeyValuePair<string, string>> parameters,
        Attempt attempt)
    {
        var settings = SettingsOf(request);
        var connected = Stopwatch.GetTimestamp();
        var failureStatus = 0;
        var recordedAtHead = false;
        long headerAt = 0;
        long bodyBytes = 0;
        var connection = new UpstreamConnection(socket, tls, settings.ReadTimeout, settings.SendTimeout);
        var failed = false;
        var workerLost = Apps.AppLeaseFailure.None; // the connection was lost or timed out, before or after the response began (see Release.Done)
        UpstreamException? timedOut = null;
        var keep = false;
        var stale = false;
        var framed = release.Lease?.Framed == true;
        var upstreamStatus = 0;
        var upstreamBytes = 0L;
        try
        {
            switch (WriteHead(connection.Writer, request, parameters, framed))
            {
                case HeadWrite.TooBig:
                    request.Log(ErrorLevel.Error, $"{Directive[..^5]} request is too big");
                    failureStatus = -1; // nginx fails before connecting: no upstream state
                    return new(HandlerResult.Error(500));
                case HeadWrite.OverPeerBuffer:
                    // app_pass: the vars exceed the pool's buffer_size. The worker would close the connection unanswered
                    // (uWSGI: "invalid request block size"), and nginx in front would answer 502 with this line. It is
                    // not sent: nothing went out, so this is no failure of the worker (its slot is not held back, see
                    // AppPool.HoldBack) and a kept connection stays clean for the next request.
                    request.LogUpstream(ErrorLevel.Error, "upstream prematurely closed connection " + UpstreamErrors.ReadingHeader, upstream);
                    failureStatus = 502;
                    keep = framed;
                    return new(HandlerResult.Error(502));
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
                // A reset, a premature close or a timeout — not a response the worker sent and nginx refuses ("upstream
                // sent …": the worker is fine). app_pass's pool holds back the worker of a lost connection (it may be
                // dying) and the slot of a timed-out request (one thread is stuck; the others may serve).
                workerLost = e.Status == 504 ? Apps.AppLeaseFailure.TimedOut
                    : e.Message.StartsWith("upstream sent", StringComparison.Ordinal) ? Apps.AppLeaseFailure.None
                    : Apps.AppLeaseFailure.ConnectionLost;
                // app_pass tries a non-idempotent request once only: a kept connection's worker may have died while
                // running it (nginx passes such a request to no other server once sent, unless non_idempotent).
                if (!relay.Started && !received && reused && body.Replayable && e.Status != 504
                    && (release.Lease is null || request.Method is not ("POST" or "LOCK" or "PATCH")))
                {
                    stale = true;
                    failureStatus = 502; // nginx keeps the stale connection's state: 502 in $upstream_status
                    return new(null, Stale: true);
                }

                if (e.Status == 504 && !relay.Started)
                {
                    // ngx_http_upstream_next frees the peer (its "temporarily disabled" warning) before it logs
                    // "upstream timed out": the line waits for the release below.
                    timedOut = e;
                }
                else
                {
                    request.LogUpstream(e.Level, e.Message, upstream);
                }

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
                release.Done(failed, keepAlive: false, upstreamStatus, upstreamBytes, workerLost);
                await connection.DisposeAsync();
            }

            if (timedOut is not null)
            {
                request.LogUpstream(timedOut.Level, timedOut.Message, upstream);
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
}

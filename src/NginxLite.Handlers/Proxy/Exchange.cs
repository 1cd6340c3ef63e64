using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Upstream;
using NginxLite.Handlers.Upstream.Wire;
using NginxLite.Protocols.Http1;
using NginxLite.Routing;
using NginxLite.Routing.Settings;
using NginxLite.Routing.Upstreams;

namespace NginxLite.Handlers.Proxy;

/// <summary>One proxied request: the attempts over the selected peers, then the response streamed to the client.</summary>
internal sealed partial class Exchange(
    IUpstreamRequest request, ProxySettings settings, ProxyTarget target, string uri, PeerSelection selection,
    UpstreamVariables vars, byte[] head, RequestBody body, bool keepAliveAsked, bool upgradeAsked)
{
    /// <summary>Read buffer of the stream pipe over a TLS session.</summary>
    private const int ReadSize = 16 * 1024;

    /// <summary>Each attempt's $upstream_* entries, as fastcgi_pass / uwsgi_pass record theirs.</summary>
    private readonly UpstreamStates _states = new(request);

    /// <summary>Why an attempt failed: the log line, the next_upstream condition, the status if it is the last.</summary>
    private readonly record struct Failure(string Message, NextUpstream Condition, int Status);

    public async Task<HandlerResult> RunAsync()
    {
        _states.BeginPhase();
        while (true)
        {
            var started = Stopwatch.GetTimestamp();
            UpstreamConnection? connection;
            try
            {
                connection = await selection.ConnectAsync(settings.ConnectTimeout, request.Aborted);
            }
            catch (UpstreamConnectException e)
            {
                var status = ConnectFailed(e, started);
                if (Retry(e.TimedOut ? NextUpstream.Timeout : NextUpstream.Error))
                {
                    continue;
                }

                return HandlerResult.Error(status);
            }
            catch (OperationCanceledException)
            {
                return HandlerResult.Error(499);
            }

            if (connection is null)
            {
                // No peer to pick (every server down or failed by max_fails, or a retry that finds none left):
                // ngx_http_upstream_connect logs "no live upstreams" and pushes a state for the group — its name, 502
                // (ngx_http_upstream_next, FT_NOLIVE), a response time, length 0, no connect or header time — and
                // FT_NOLIVE is never in next_upstream, so the request ends with 502 whatever the earlier attempts
                // answered (a retried 503 or a timed-out 504 included). Differential: NoLiveUpstreamsTests.
                request.LogUpstream(ErrorLevel.Error, "no live upstreams while connecting to upstream", target.Scheme + "://" + selection.Group.Config.Name + uri);
                _states.Record(selection.Group.Config.Name, 502, started, connected: 0, headerAt: 0, length: 0);
                return HandlerResult.Error(502);
            }

            // An https upstream's handshake (on a fresh connection) comes first; when it fails, that is the attempt.
            var attempt = await SecureAsync(connection, started) ?? await AttemptAsync(connection, started, Stopwatch.GetTimestamp());
            if (attempt.Stale)
            {
                // An idle keepalive connection the upstream had closed: retry on a fresh one to the same peer, no
                // failure counted (nginx gives a cached connection's error an extra try).
                try
                {
                    connection = await selection.ReconnectAsync(connection, settings.ConnectTimeout, request.Aborted);
                }
                catch (UpstreamConnectException e)
                {
                    var status = ConnectFailed(e, started);
                    if (Retry(e.TimedOut ? NextUpstream.Timeout : NextUpstream.Error))
                    {
                        continue;
                    }

                    return HandlerResult.Error(status);
                }

                attempt = await SecureAsync(connection, started) ?? await AttemptAsync(connection, started, Stopwatch.GetTimestamp());
            }

            if (attempt.Result is { } result)
            {
                return result;
            }

            if (!Retry(attempt.Failure!.Value.Condition))
            {
                return HandlerResult.Error(attempt.Failure.Value.Status);
            }
        }
    }

    /// <summary>A failed connect: its $upstream_* entry (no connect or header time), the [error] line and after it
    /// nginx's "temporarily disabled" warning; returns the status it stands for (504 when it timed out, else 502).</summary>
    private int ConnectFailed(UpstreamConnectException e, long started)
    {
        // nginx logs a connect error before ngx_http_upstream_next frees the peer (its "temporarily disabled" warning),
        // and a connect timeout after it: ngx_http_upstream_next logs "upstream timed out" itself, once the peer is freed.
        _states.Record(e.Peer.Name, e.TimedOut ? 504 : 502, started, connected: 0, headerAt: 0, length: 0);
        if (e.TimedOut)
        {
            selection.ReportDisabled(e);
        }

        request.LogUpstream(ErrorLevel.Error, e.Message, UpstreamUrl(e.Peer));
        if (!e.TimedOut)
        {
            selection.ReportDisabled(e);
        }

        return e.TimedOut ? 504 : 502;
    }

    private bool Retry(NextUpstream condition) =>
        (settings.NextUpstream & condition) != 0 && selection.CanRetry && (body.Replayable || !body.Started)
        && (IsIdempotent(request.Method) || (settings.NextUpstream & NextUpstream.NonIdempotent) != 0 || !body.Started);

    private static bool IsIdempotent(string method) => method is not ("POST" or "LOCK" or "PATCH");

    private string UpstreamUrl(Peer peer) =>
        target.Scheme + "://" + (peer.Name.StartsWith("unix:", StringComparison.Ordinal) ? peer.Name + ":" : peer.Name) + uri;

    /// <summary>One attempt on <paramref name="connection"/>: a result (the response was sent or handed back), or a
    /// failure to retry on the next peer.</summary>
    private async Task<Attempt> AttemptAsync(UpstreamConnection connection, long started, long connected)
    {
        // proxy_send_timeout / proxy_read_timeout as deadlines (DeadlineWatch), not a timer re-armed per operation; the
        // client going away cancels the same source (the catch below tells the two apart by request.Aborted).
        using var deadlines = new OperationDeadlines();
        using var aborted = request.Aborted.UnsafeRegister(static d => ((OperationDeadlines)d!).Cancel(), deadlines);

        // A plain upstream is read and written directly on the socket (no NetworkStream and stream pipes per attempt);
        // an https one through its TLS session (Exchange.Tls.cs), which outlives the attempt.
        var tls = connection.Tls;
        PipeReader input = tls is null
            ? new SocketPipeReader(connection.Socket, deadlines.Source)
            : PipeReader.Create(tls, new StreamPipeReaderOptions(bufferSize: ReadSize, minimumReadSize: 4096, leaveOpen: true));
        PipeWriter output = tls is null
            ? new SocketPipeWriter(connection.Socket)
            : PipeWriter.Create(tls, new StreamPipeWriterOptions(leaveOpen: true));
        var response = new HttpResponseHead();
        var phase = "sending request to upstream";
        var keep = false;
        var released = false;
        try
        {
            // Send the head and the body (proxy_send_timeout between two writes).
            deadlines.StartSend(settings.SendTimeout);
            output.Write(head); // not flushed: the head and a small body leave in one send
            await body.SendAsync(output, () => deadlines.StartSend(settings.SendTimeout), deadlines.Token);
            await output.FlushAsync(deadlines.Token);
            deadlines.EndSend();

            // Read the response head (proxy_read_timeout between two reads).
            phase = "reading response header from upstream";
            ReadOnlySequence<byte> rest;
            var headBytes = 0L;
            while (true)
            {
                deadlines.StartRead(settings.ReadTimeout);
                var read = await input.ReadAsync(deadlines.Token);
                deadlines.EndRead();
                var reader = new SequenceReader<byte>(read.Buffer);
                var status = HttpResponseHeadReader.TryRead(ref reader, response, out var error);
                headBytes += reader.Consumed;
                if (status == ReadStatus.Invalid)
                {
                    input.AdvanceTo(reader.Position);
                    released = true;
                    return Fail(connection, started, connected, $"{error} while reading response header from upstream", NextUpstream.InvalidHeader, 502);
                }

                if (status == ReadStatus.Complete && headBytes > settings.BufferSize)
                {
                    released = true;
                    return Fail(connection, started, connected, "upstream sent too big header while reading response header from upstream", NextUpstream.InvalidHeader, 502);
                }

                if (status == ReadStatus.Complete)
                {
                    rest = read.Buffer.Slice(reader.Position);
                    input.AdvanceTo(reader.Position);
                    break;
                }

                if (headBytes + reader.Remaining > settings.BufferSize)
                {
                    released = true;
                    return Fail(connection, started, connected, "upstream sent too big header while reading response header from upstream", NextUpstream.InvalidHeader, 502);
                }

                input.AdvanceTo(reader.Position, read.Buffer.End);
                if (read.IsCompleted)
                {
                    if (connection.Reused && read.Buffer.Length == 0 && headBytes == 0)
                    {
                        released = true;
                        return Attempt.StaleConnection;
                    }

                    released = true;
                    return Fail(connection, started, connected, "upstream prematurely closed connection while reading response header from upstream", NextUpstream.Error, 502);
                }
            }

            _ = rest;
            var headerAt = Stopwatch.GetTimestamp();
            var (condition, countsAsFailure) = ProxyHandler.Classify(response.Status);
            if (condition != NextUpstream.None && (settings.NextUpstream & condition) != 0 && selection.CanRetry && body.Replayable)
            {
                _states.Record(connection.Peer.Name, response.Status, started, connected, headerAt, length: 0);
                released = true;
                selection.Release(connection, countsAsFailure, keepAlive: false);
                return new(null, new Failure("", condition, response.Status));
            }

            _states.Record(connection.Peer.Name, response.Status, started, connected, headerAt, length: 0); // the length once relayed: SendResponseAsync
            if (settings.InterceptErrors && response.Status >= 300 && request.Settings.ErrorPages.ContainsKey(response.Status))
            {
                return new(HandlerResult.Error(response.Status), null);
            }

            if (AccelRedirect.Follow(request, settings.IgnoreHeaders, response.Headers,
                    settings.RewritesCookies ? v => SetCookieRewriter.Rewrite(v, request, settings) ?? v : null) is { } redirect)
            {
                return new(redirect, null);
            }

            if (response.Status == 101 && upgradeAsked && request.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            {
                await UpgradeAsync(upgrade, response, tls ?? (Stream)new NetworkStream(connection.Socket, ownsSocket: false), input);
                return new(HandlerResult.Sent, null);
            }

            keep = await SendResponseAsync(response, input, deadlines);
            return new(HandlerResult.Sent, null);
        }
        catch (OperationCanceledException) when (request.Aborted.IsCancellationRequested)
        {
            request.Log(ErrorLevel.Info, $"client prematurely closed connection while {phase}");
            return new(HandlerResult.Error(499), null);
        }
        catch (OperationCanceledException) when (!request.Features.Get<IHttpResponseFeature>()!.HasStarted)
        {
            released = true;
            return Fail(connection, started, connected, $"upstream timed out (110: Connection timed out) while {phase}", NextUpstream.Timeout, 504);
        }
        catch (ClientBodyReadException e) when (!request.Features.Get<IHttpResponseFeature>()!.HasStarted)
        {
            // proxy_request_buffering off: the body's limit (or a malformed chunk) is met while streaming it. nginx
            // (ngx_http_upstream_send_request → ngx_http_upstream_finalize_request with the body filter's status)
            // answers 413 / 400 and closes; the upstream is not at fault, so its peer is freed without a failure and
            // the connection is not kept (it holds half a request).
            var url = UpstreamUrl(connection.Peer);
            switch (e.InnerException)
            {
                case Microsoft.AspNetCore.Http.BadHttpRequestException { StatusCode: 413 } tooLarge:
                    request.LogUpstream(ErrorLevel.Error, tooLarge.Message + " while sending request to upstream", url);
                    return new(HandlerResult.Error(413), null);
                case Microsoft.AspNetCore.Http.BadHttpRequestException or IOException { InnerException: OverflowException }:
                    request.LogUpstream(ErrorLevel.Info, "client sent invalid chunked body while sending request to upstream", url);
                    return new(HandlerResult.Error(400), null);
                default:
                    request.LogUpstream(ErrorLevel.Info, "client prematurely closed connection while sending request to upstream", url);
                    return new(HandlerResult.Error(499), null);
            }
        }
        catch (ClientBodyException)
        {
            request.Log(ErrorLevel.Info, "client prematurely closed connection while sending request to upstream");
            return new(HandlerResult.Error(499), null);
        }
        catch (Exception e) when (e is IOException or SocketException && UpstreamErrors.Socket(e) is { } socketError
            && !request.Features.Get<IHttpResponseFeature>()!.HasStarted)
        {
            released = true;
            if (connection.Reused && response.Status == 0 && !body.Started)
            {
                return Attempt.StaleConnection;
            }

            var call = phase == "sending request to upstream" ? "writev()" : "recv()";
            return Fail(connection, started, connected, $"{call} failed ({UpstreamErrors.Errno(socketError)}) while {phase}", NextUpstream.Error, 502);
        }
        catch (IOException) when (!request.Features.Get<IHttpResponseFeature>()!.HasStarted)
        {
            released = true;
            return Fail(connection, started, connected, $"upstream prematurely closed connection while {phase}", NextUpstream.Error, 502);
        }
        finally
        {
            await input.CompleteAsync();
            await output.CompleteAsync();
            if (!released)
            {
                selection.Release(connection, false, keep);
            }
        }
    }

    /// <summary>What one attempt came to: a result for the dispatcher, a failure to retry, or a stale cached connection.</summary>
    private readonly record struct Attempt(HandlerResult? Result, Failure? Failure, bool Stale = false)
    {
        public static readonly Attempt StaleConnection = new(null, null, true);
    }

    private Attempt Fail(UpstreamConnection connection, long started, long connected, string message, NextUpstream condition, int status)
    {
        _states.Record(connection.Peer.Name, status, started, connected, headerAt: 0, length: 0);
        if (condition == NextUpstream.Timeout)
        {
            // ngx_http_upstream_next frees the peer (its "temporarily disabled" warning) before it logs "upstream
            // timed out"; the other errors are logged where they happen, before it.
            selection.Release(connection, failed: true, keepAlive: false);
            request.LogUpstream(ErrorLevel.Error, message, UpstreamUrl(connection.Peer));
        }
        else
        {
            request.LogUpstream(ErrorLevel.Error, message, UpstreamUrl(connection.Peer));
            selection.Release(connection, failed: true, keepAlive: false);
        }

        return new(null, new Failure(message, condition, status));
    }
}

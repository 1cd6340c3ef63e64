using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
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
internal abstract class CgiUpstreamHandler : IContentHandler
{
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

    protected abstract void WriteBody(PipeWriter writer, in ReadOnlySequence<byte> data);

    protected abstract void WriteBodyEnd(PipeWriter writer);

    /// <summary>Decodes response bytes into <paramref name="relay"/>; true when the response is complete.</summary>
    protected abstract bool Decode(ref SequenceReader<byte> input, bool upstreamClosed, ResponseRelay relay, IUpstreamRequest request);

    public async ValueTask<HandlerResult> HandleAsync(IUpstreamRequest request)
    {
        var settings = SettingsOf(request);
        var target = settings.Pass?.Evaluate(request) ?? "";
        if (!IsAddress(target))
        {
            request.Log(ErrorLevel.Error, $"{Directive} to the upstream group \"{target}\" is not served yet (upstream {{}} groups: issue 4, proxy branch)");
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
            Socket socket;
            try
            {
                socket = await AcquireAsync(target, settings, request.Aborted);
            }
            catch (UpstreamException e)
            {
                request.Log(e.Level, e.Message);
                return HandlerResult.Error(e.Status);
            }

            await using var connection = new UpstreamConnection(socket, settings.ReadTimeout, settings.SendTimeout);
            if (!WriteHead(connection.Writer, request, parameters))
            {
                request.Log(ErrorLevel.Error, $"{Directive[..^5]} request is too big");
                return HandlerResult.Error(500);
            }

            return await ExchangeAsync(request, connection, body);
        }
    }

    private async ValueTask<HandlerResult> ExchangeAsync(IUpstreamRequest request, UpstreamConnection connection, RequestBody body)
    {
        var settings = SettingsOf(request);
        using var relay = new ResponseRelay(request, settings, AllowStatusLine);
        using var sendCancel = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted);
        var send = SendAsync(connection, body, sendCancel.Token);
        try
        {
            var complete = false;
            while (!complete)
            {
                var stage = relay.HeadDone ? UpstreamErrors.Reading : UpstreamErrors.ReadingHeader;
                var result = await connection.ReadAsync(stage);
                if (result.IsCanceled)
                {
                    await send; // the send failed: its exception is the answer
                }

                var input = new SequenceReader<byte>(result.Buffer);
                try
                {
                    complete = Decode(ref input, result.IsCompleted, relay, request);
                }
                catch (FastCgiProtocolException e)
                {
                    throw UpstreamErrors.Protocol(e.Message, stage);
                }

                connection.Reader.AdvanceTo(input.Position, result.Buffer.End);
                if (relay.Intercepted != 0)
                {
                    return HandlerResult.Error(relay.Intercepted);
                }

                // The last bytes are not flushed here: Kestrel sends them with the end of the response in one write.
                if (!await relay.FlushAsync(flush: !complete))
                {
                    return HandlerResult.Sent; // the client went away
                }

                if (!complete && result.IsCompleted)
                {
                    throw UpstreamErrors.PrematureClose(relay.HeadDone ? UpstreamErrors.Reading : UpstreamErrors.ReadingHeader);
                }
            }

            return HandlerResult.Sent;
        }
        catch (UpstreamException e)
        {
            request.Log(e.Level, e.Message);
            if (!relay.Started)
            {
                return HandlerResult.Error(e.Status);
            }

            request.Features.Get<IHttpRequestLifetimeFeature>()?.Abort(); // nginx closes a response it cannot finish
            return HandlerResult.Sent;
        }
        catch (ClientBodyException)
        {
            request.Log(ErrorLevel.Info, "client prematurely closed connection while sending request to upstream");
            return relay.Started ? HandlerResult.Sent : HandlerResult.Error(400);
        }
        finally
        {
            if (!send.IsCompleted)
            {
                sendCancel.Cancel();
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
            }
        }
    }

    /// <summary>Sends the head and the body; a send timeout also stops the read, so the request ends with 504.</summary>
    private async Task SendAsync(UpstreamConnection connection, RequestBody body, CancellationToken cancel)
    {
        // Runs synchronously until the socket or the client's body makes it wait (a small request is sent before the
        // read loop starts, with no thread hop); from then on alongside the read loop.
        try
        {
            await connection.FlushAsync();
            try
            {
                await body.CopyToAsync(static async (data, state) =>
                {
                    state.Handler.WriteBody(state.Connection.Writer, data);
                    await state.Connection.FlushAsync();
                }, (Handler: this, Connection: connection), cancel);
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

    /// <summary>The one place a connection is obtained: a single address now; upstream groups, balancing and
    /// keepalive pools plug in here.</summary>
    protected virtual async ValueTask<Socket> AcquireAsync(string target, CgiUpstreamSettings settings, CancellationToken cancel)
    {
        try
        {
            var endpoint = await UpstreamConnector.ResolveAsync(target, 80, cancel);
            return await UpstreamConnector.ConnectAsync(endpoint, settings.ConnectTimeout, cancel);
        }
        catch (SocketException e)
        {
            throw UpstreamErrors.Connect(e, target);
        }
        catch (TimeoutException)
        {
            throw UpstreamErrors.TimedOut(UpstreamErrors.Connecting);
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

using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using NginxLite.Handlers.Upstream;
using NginxLite.Handlers.Upstream.Wire;
using NginxLite.Protocols.Http1;
using NginxLite.Routing;

namespace NginxLite.Handlers.Proxy;

internal sealed partial class Exchange
{
    /// <summary>Copies the upstream's headers (minus hop-by-hop and hidden ones, Location/Refresh through
    /// proxy_redirect), starts the response and streams the body. Returns true when the connection may be kept.</summary>
    private async Task<bool> SendResponseAsync(HttpResponseHead response, PipeReader input, OperationDeadlines deadlines)
    {
        var features = request.Features;
        var responseFeature = features.Get<IHttpResponseFeature>()!;
        var headers = responseFeature.Headers;
        var headRequest = request.Method == "HEAD";
        var bodyReader = new ResponseBodyReader(response, headRequest);

        // a 205 may come with a body (nginx relays it); Kestrel refuses one on it, so it is read and dropped
        var dropBody = HeaderOnlyStatus.HasNoBody(response.Status);
        CopyHeaders(response, headers);
        if (response.ContentLength >= 0 && !response.Chunked && response.Status is >= 200 and not 204 and not 304)
        {
            headers.ContentLength = response.ContentLength;
        }

        request.StartResponse(response.Status, response.Reason.Length > 0 ? response.Reason : null);
        if (response.Get("Server") is { } server && !ProxyHandler.IsHidden("Server", settings))
        {
            // proxy_pass_header Server: nginx then sends the upstream's and not its own.
            headers.Server = server;
        }

        var output = features.Get<IHttpResponseBodyFeature>()!.Writer;
        long sent = 0;
        try
        {
            if (bodyReader.Mode == BodyMode.None)
            {
                await output.FlushAsync(request.Aborted);
                return Reusable(response, bodyReader, input);
            }

            while (true)
            {
                deadlines.StartRead(settings.ReadTimeout);
                var read = await input.ReadAsync(deadlines.Token);
                deadlines.EndRead();
                var reader = new SequenceReader<byte>(read.Buffer);
                ReadStatus status;
                long before;
                do
                {
                    // Go on while the reader makes progress: a step may consume framing only (a chunk's CRLF, a
                    // chunk-size line) and give no data while whole chunks still wait in the buffer. Incomplete with
                    // nothing consumed means it needs more input (e.g. half a chunk-size line).
                    before = reader.Consumed;
                    status = bodyReader.Read(ref reader, out var data);
                    if (!dropBody)
                    {
                        foreach (var segment in data)
                        {
                            PipeCopy.Copy(output, segment.Span);
                        }

                        sent += data.Length;
                    }
                }
                while (status == ReadStatus.Incomplete && reader.Consumed > before && !reader.End);

                input.AdvanceTo(reader.Position, read.Buffer.End);
                if (status == ReadStatus.Invalid)
                {
                    request.LogUpstream(ErrorLevel.Error, $"{bodyReader.Error} while reading upstream", UpstreamUrlForLog);
                    Abort();
                    return false;
                }

                // Kestrel's writer applies back pressure here: a slow client slows the upstream reads, nothing piles up.
                var flush = await output.FlushAsync(request.Aborted);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    return false;
                }

                if (status == ReadStatus.Complete)
                {
                    return Reusable(response, bodyReader, input);
                }

                if (read.IsCompleted)
                {
                    if (bodyReader.ReadAtEnd())
                    {
                        return false;
                    }

                    request.LogUpstream(ErrorLevel.Error, "upstream prematurely closed connection while reading upstream", UpstreamUrlForLog);
                    Abort();
                    return false;
                }
            }
        }
        catch (OperationCanceledException) when (!request.Aborted.IsCancellationRequested)
        {
            request.LogUpstream(ErrorLevel.Error, "upstream timed out (110: Connection timed out) while reading upstream", UpstreamUrlForLog);
            Abort();
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            if (UpstreamErrors.Socket(e) is { } socketError)
            {
                request.LogUpstream(ErrorLevel.Error, $"recv() failed ({UpstreamErrors.Errno(socketError)}) while reading upstream", UpstreamUrlForLog);
            }

            Abort();
            return false;
        }
        finally
        {
            request.CountBodyBytes(sent);
            vars.ReplaceLast("upstream_response_length", sent.ToString(CultureInfo.InvariantCulture));
        }
    }

    private string UpstreamUrlForLog => target.Scheme + "://" + (selection.UpstreamAddr.Split(", ")[^1] is var p && p.StartsWith("unix:", StringComparison.Ordinal) ? p + ":" : selection.UpstreamAddr.Split(", ")[^1]) + uri;

    /// <summary>A keepalive connection may be reused when the whole response was read, nothing extra came, both sides
    /// speak HTTP/1.1 and nobody asked to close.</summary>
    private bool Reusable(HttpResponseHead response, ResponseBodyReader bodyReader, PipeReader input) =>
        keepAliveAsked && settings.HttpVersion == 11 && response.Version == 11 && !response.ConnectionClose
        && bodyReader.IsComplete && bodyReader.Mode != BodyMode.UntilClose
        && !(input.TryRead(out var extra) && extra.Buffer.Length > 0);

    /// <summary>The client connection is closed mid-body, as nginx does when the upstream fails after the head was sent.</summary>
    private void Abort() => request.Features.Get<IHttpRequestLifetimeFeature>()?.Abort();

    private void CopyHeaders(HttpResponseHead response, IHeaderDictionary headers)
    {
        var pass = settings.Pass!;
        foreach (var (name, value) in response.Headers)
        {
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || ProxyHandler.IsHidden(name, settings) || !HttpResponseHeadReader.IsToken(name) || value.Any(char.IsControl))
            {
                continue;
            }

            var v = value;
            if (name.Equals("Location", StringComparison.OrdinalIgnoreCase) && ProxyHandler.Redirect(value, request, pass) is { } redirected)
            {
                v = redirected;
            }
            else if (settings.RewritesCookies && name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)
                && SetCookieRewriter.Rewrite(value, request, settings) is { } rewritten)
            {
                v = rewritten;
            }
            else if (name.Equals("Refresh", StringComparison.OrdinalIgnoreCase))
            {
                var url = value.IndexOf("url=", StringComparison.OrdinalIgnoreCase);
                if (url >= 0 && ProxyHandler.Redirect(value[(url + 4)..], request, pass) is { } refreshed)
                {
                    v = value[..(url + 4)] + refreshed;
                }
            }

            headers.Append(name, v);
        }
    }

    /// <summary>101 Switching Protocols with the Upgrade asked for by the config: the response head goes out through
    /// Kestrel's upgrade, then bytes flow both ways until either side closes (proxy_read_timeout applies to silence).</summary>
    private async Task UpgradeAsync(IHttpUpgradeFeature upgrade, HttpResponseHead response, Stream upstream, PipeReader input)
    {
        var headers = request.Features.Get<IHttpResponseFeature>()!.Headers;
        CopyHeaders(response, headers);
        request.StartResponse(101);
        var clientStream = await upgrade.UpgradeAsync();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(request.Aborted);
        var toClient = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    done.CancelAfter(settings.ReadTimeout);
                    var read = await input.ReadAsync(done.Token);
                    foreach (var segment in read.Buffer)
                    {
                        await clientStream.WriteAsync(segment, done.Token);
                    }

                    await clientStream.FlushAsync(done.Token);
                    input.AdvanceTo(read.Buffer.End);
                    if (read.IsCompleted)
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
        });
        var toUpstream = Task.Run(async () =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int n;
                while ((n = await clientStream.ReadAsync(buffer, done.Token)) > 0)
                {
                    await upstream.WriteAsync(buffer.AsMemory(0, n), done.Token);
                }

                if (upstream is NetworkStream plain)
                {
                    plain.Socket.Shutdown(SocketShutdown.Send);
                }
                else if (upstream is System.Net.Security.SslStream tls)
                {
                    await tls.ShutdownAsync(); // close_notify: TLS's end of the client's half.
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        });
        await Task.WhenAny(toClient, toUpstream);
        await done.CancelAsync();
        await Task.WhenAll(toClient, toUpstream);
    }
}
